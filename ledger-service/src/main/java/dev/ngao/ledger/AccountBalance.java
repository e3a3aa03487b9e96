package dev.ngao.ledger;

import dev.ngao.events.Side;

/**
 * Running totals of one account. The two sides are kept apart (never netted in storage) so the trial
 * balance can be checked and a balance can be reported on either side.
 *
 * @param account      the account name
 * @param currency     the account's currency, also the last segment of its name
 * @param debitsMinor  sum of every debit posted, minor units
 * @param creditsMinor sum of every credit posted, minor units
 */
public record AccountBalance(String account, String currency, long debitsMinor, long creditsMinor) {

    public static AccountBalance empty(AccountName account) {
        return new AccountBalance(account.toString(), account.currency(), 0, 0);
    }

    /**
     * The totals after one more posting.
     *
     * @throws ArithmeticException if a total would overflow a long
     */
    public AccountBalance plus(Side side, long amountMinor) {
        return side == Side.DEBIT
                ? new AccountBalance(account, currency, Math.addExact(debitsMinor, amountMinor), creditsMinor)
                : new AccountBalance(account, currency, debitsMinor, Math.addExact(creditsMinor, amountMinor));
    }

    /**
     * The balance on the account's normal side: debits minus credits for a debit-normal account
     * (an asset such as provider clearing), credits minus debits for a credit-normal one (what we owe a
     * merchant, payouts in flight). Positive means "the usual direction"; negative is worth a look.
     */
    public long balanceMinor(Side normalSide) {
        return normalSide == Side.DEBIT
                ? Math.subtractExact(debitsMinor, creditsMinor)
                : Math.subtractExact(creditsMinor, debitsMinor);
    }
}
