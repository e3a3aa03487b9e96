package dev.ngao.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The mix of demo payments: mostly ordinary mobile-money collections and payouts, some above the
 * per-transaction limit, and a few heavy wallets that pay often enough to reach their daily limit.
 * Amounts are decimal text as a merchant would send them.
 *
 * <p>Most payments carry a {@code payer} object with the risk signals of the wallet's customer
 * ({@link DemoCustomers}): an IP, device and email from that customer's own pool, the IP's country, an
 * identity document and a time zone. Not every merchant knows everything: some payments carry no payer
 * object, others only part of it. Everything comes from the one generator, so a seed replays the same run.
 */
public final class DemoPayments {

    private static final List<String> OPERATORS = List.of("MPESA", "AIRTEL_MONEY");
    /**
     * Enough customers for the catalogue's velocity rules to see ordinary ones as ordinary at the demo's
     * 50 payments a second (one payment every few minutes each; at most 10 an hour per wallet is the rule).
     */
    private static final int ORDINARY_WALLETS = 20_000;
    private static final int HEAVY_WALLETS = 5;

    private final RandomGenerator random;
    private final DemoCustomers customers;
    private long sequence;

    /** Draws the customers, then every payment, from {@code random}: seed it for a repeatable run. */
    public DemoPayments(RandomGenerator random) {
        this.random = random;
        this.customers = DemoCustomers.generate(random, ORDINARY_WALLETS + HEAVY_WALLETS);
    }

    /** The JSON body of the next demo payment. */
    public String next() {
        sequence++;
        int draw = random.nextInt(100);
        String type = random.nextInt(4) == 0 ? "MOBILE_MONEY_PAYOUT" : "MOBILE_MONEY_COLLECTION";
        int wallet;
        long amountShillings;
        if (draw < 8) {
            // Above the default KES per-transaction limit (150,000.00): declined.
            wallet = random.nextInt(ORDINARY_WALLETS);
            amountShillings = 150_001 + random.nextInt(100_000);
        } else if (draw < 20) {
            // Large payments from a handful of wallets: these reach the daily limit (300,000.00).
            wallet = ORDINARY_WALLETS + random.nextInt(HEAVY_WALLETS);
            amountShillings = 40_000 + random.nextInt(100_000);
        } else if (draw < 22) {
            // The device ring pays often enough for its shared device and address to be seen.
            wallet = customers.ringMember(random.nextInt(Integer.MAX_VALUE));
            amountShillings = 10 + random.nextInt(5_000);
        } else {
            wallet = random.nextInt(ORDINARY_WALLETS);
            amountShillings = 10 + random.nextInt(5_000);
        }
        String cents = String.format(Locale.ROOT, "%02d", random.nextInt(100));
        DemoCustomers.Customer customer = customers.customer(wallet);
        return "{\"type\":\"" + type + "\",\"amount\":\"" + amountShillings + "." + cents + "\",\"currency\":\"KES\","
                + "\"msisdn\":\"" + customer.msisdn() + "\",\"operator\":\""
                + OPERATORS.get(random.nextInt(OPERATORS.size()))
                + "\",\"country\":\"KE\",\"merchantReference\":\"demo-" + sequence + "\"" + payer(customer) + "}";
    }

    /** {@code ,"payer":{...}} with what the merchant knows this time, or nothing (one payment in ten). */
    private String payer(DemoCustomers.Customer customer) {
        if (random.nextInt(10) == 0) {
            return "";
        }
        List<String> fields = new ArrayList<>();
        fields.add(field("ip", pick(customer.ips())));
        if (random.nextInt(10) < 9) {
            fields.add(field("ipCountry", customer.ipCountry()));
        }
        if (random.nextInt(20) < 19) {
            fields.add(field("deviceFingerprint", pick(customer.devices())));
        }
        if (random.nextInt(5) < 4) {
            fields.add(field("email", pick(customer.emails())));
        }
        if (random.nextInt(5) < 3) {
            fields.add(field("documentType", customer.documentType()));
            fields.add(field("documentNumber", customer.documentNumber()));
        }
        if (random.nextInt(20) < 17) {
            fields.add(field("timeZone", customer.timeZone()));
        }
        return ",\"payer\":{" + String.join(",", fields) + "}";
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Every demo value comes from a fixed alphabet without quotes or backslashes: no escaping needed. */
    private static String field(String name, String value) {
        return "\"" + name + "\":\"" + value + "\"";
    }
}
