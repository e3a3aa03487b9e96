package dev.ngao.sandbox;

import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The mix of demo payments: mostly ordinary mobile-money collections and payouts, some above the
 * per-transaction limit, and a few heavy wallets that pay often enough to reach their daily limit.
 * Amounts are decimal text as a merchant would send them.
 */
public final class DemoPayments {

    private static final List<String> OPERATORS = List.of("MPESA", "AIRTEL_MONEY");
    private static final int ORDINARY_WALLETS = 500;
    private static final int HEAVY_WALLETS = 5;

    private final RandomGenerator random;
    private long sequence;

    public DemoPayments(RandomGenerator random) {
        this.random = random;
    }

    /** The JSON body of the next demo payment. */
    public String next() {
        sequence++;
        int draw = random.nextInt(100);
        String type = random.nextInt(4) == 0 ? "MOBILE_MONEY_PAYOUT" : "MOBILE_MONEY_COLLECTION";
        String msisdn;
        long amountShillings;
        if (draw < 8) {
            // Above the default KES per-transaction limit (150,000.00): declined.
            msisdn = wallet(random.nextInt(ORDINARY_WALLETS));
            amountShillings = 150_001 + random.nextInt(100_000);
        } else if (draw < 20) {
            // Large payments from a handful of wallets: these reach the daily limit (300,000.00).
            msisdn = wallet(ORDINARY_WALLETS + random.nextInt(HEAVY_WALLETS));
            amountShillings = 40_000 + random.nextInt(100_000);
        } else {
            msisdn = wallet(random.nextInt(ORDINARY_WALLETS));
            amountShillings = 10 + random.nextInt(5_000);
        }
        String cents = String.format(Locale.ROOT, "%02d", random.nextInt(100));
        return "{\"type\":\"" + type + "\",\"amount\":\"" + amountShillings + "." + cents + "\",\"currency\":\"KES\","
                + "\"msisdn\":\"" + msisdn + "\",\"operator\":\"" + OPERATORS.get(random.nextInt(OPERATORS.size()))
                + "\",\"country\":\"KE\",\"merchantReference\":\"demo-" + sequence + "\"}";
    }

    private static String wallet(int index) {
        return "+2547" + String.format(Locale.ROOT, "%08d", 10_000_000 + index).substring(0, 8);
    }
}
