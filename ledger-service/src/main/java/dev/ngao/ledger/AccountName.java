package dev.ngao.ledger;

import dev.ngao.events.Side;
import dev.ngao.platform.money.Amounts;
import dev.ngao.platform.money.InvalidAmountException;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A structured ledger account name such as {@code merchant:m-1:pending:KES}: segments of
 * {@code [a-z0-9_-]+} separated by {@code ':'}, the first naming the {@link AccountType}, the last
 * an ISO-4217 currency in upper case. At least one segment sits between the two (the owner), so an
 * account always says whose money it holds. One account holds one currency only.
 *
 * <p>The segment before the currency is the account's role when there are four or more segments
 * ({@code merchant:m-1:available:KES} has the role {@code available}). The {@code available} accounts
 * of merchants and cards may not go negative: money a merchant or card holder spends must be there
 * ({@link #mayGoNegative()}).
 */
public final class AccountName {

    /** Bounds keys in the store and path parameters in the API. */
    public static final int MAX_LENGTH = 200;
    private static final int MIN_SEGMENTS = 3;
    private static final Pattern SEGMENT = Pattern.compile("[a-z0-9_-]+");

    /** The role of an account whose balance is money its owner may spend. */
    public static final String AVAILABLE = "available";

    private final String text;
    private final AccountType type;
    private final String owner;
    private final String role;
    private final String currency;

    private AccountName(String text, AccountType type, String owner, String role, String currency) {
        this.text = text;
        this.type = type;
        this.owner = owner;
        this.role = role;
        this.currency = currency;
    }

    /**
     * Parses and validates {@code text}.
     *
     * @throws InvalidAccountNameException saying what is wrong
     */
    public static AccountName parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidAccountNameException("account name must not be empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidAccountNameException("account name must be at most " + MAX_LENGTH + " characters");
        }
        List<String> segments = Arrays.asList(text.split(":", -1));
        if (segments.size() < MIN_SEGMENTS) {
            throw new InvalidAccountNameException("account name must be <type>:<owner>[:...]:<CURRENCY>");
        }
        AccountType type = AccountType.fromSegment(segments.get(0)).orElseThrow(() ->
                new InvalidAccountNameException("account type must be one of " + typeSegments()));
        for (String segment : segments.subList(1, segments.size() - 1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new InvalidAccountNameException("account name segments must match [a-z0-9_-]+");
            }
        }
        String currency = segments.get(segments.size() - 1);
        String role = segments.size() > MIN_SEGMENTS ? segments.get(segments.size() - 2) : "";
        return new AccountName(text, type, segments.get(1), role, requireCurrency(currency));
    }

    /** Joins {@code segments} with ':' and parses the result. */
    public static AccountName of(String... segments) {
        return parse(String.join(":", segments));
    }

    public AccountType type() {
        return type;
    }

    public String currency() {
        return currency;
    }

    /** Whose money it is: the segment after the type, e.g. the merchant id or card id. */
    public String owner() {
        return owner;
    }

    /** The segment before the currency when the name has four or more segments, else empty. */
    public String role() {
        return role;
    }

    /**
     * False for the {@code available} accounts of merchants and cards: the ledger refuses a spending
     * posting (payout, refund, card load, card authorization) that would take them below zero.
     */
    public boolean mayGoNegative() {
        return !(AVAILABLE.equals(role) && (type == AccountType.MERCHANT || type == AccountType.CARD));
    }

    public Side normalSide() {
        return type.normalSide();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AccountName name && name.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    private static String requireCurrency(String code) {
        try {
            return Amounts.currency(code).getCurrencyCode();
        } catch (InvalidAmountException e) {
            throw new InvalidAccountNameException("account name must end with an ISO-4217 currency code: "
                    + e.getMessage());
        }
    }

    private static List<String> typeSegments() {
        return Arrays.stream(AccountType.values()).map(AccountType::segment).toList();
    }
}
