package dev.ngao.ledger;

import dev.ngao.events.Side;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The first segment of an account name: what the account is, and so on which side it normally
 * grows. The normal side decides the sign of the balance the query API reports.
 */
public enum AccountType {

    /** Money a provider holds for us or owes us (clearing): an asset, grows with debits. */
    PROVIDER(Side.DEBIT),
    /** Money we owe a merchant (pending, available): a liability, grows with credits. */
    MERCHANT(Side.CREDIT),
    /** Payouts and refunds sent and not yet confirmed by the provider (in-flight): a liability, grows with credits. */
    PAYOUTS(Side.CREDIT),
    /** Money a card holder may spend (available) or has authorized and not yet captured (held): a liability. */
    CARD(Side.CREDIT),
    /** Fees providers charged us (charged): an expense, grows with debits. */
    FEES(Side.DEBIT),
    /** Money a provider moved that no approved payment explains (unmatched), until the reconciler resolves it. */
    SUSPENSE(Side.CREDIT);

    private final Side normalSide;

    AccountType(Side normalSide) {
        this.normalSide = normalSide;
    }

    public Side normalSide() {
        return normalSide;
    }

    /** The segment as it is written in account names, e.g. {@code merchant}. */
    public String segment() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AccountType> fromSegment(String segment) {
        return Arrays.stream(values()).filter(type -> type.segment().equals(segment)).findFirst();
    }
}
