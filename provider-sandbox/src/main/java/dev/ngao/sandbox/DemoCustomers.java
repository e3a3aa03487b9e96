package dev.ngao.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The synthetic customers behind the demo wallets, each with what a merchant would know of them: a few
 * devices, one or two emails, a few IP addresses, an identity document, where their IPs are located and
 * their time zone. Drawn once from the generator, so one seed gives the same people every run.
 *
 * <p>The population is made so the risk rules have something to find:
 * <ul>
 *   <li>most customers are in Kenya (Africa/Nairobi), a few are in Uganda, Tanzania or Rwanda, and some
 *       Kenyan wallets pay from an IP located abroad (geo mismatch);</li>
 *   <li>home IPs come from a small set of carrier-grade NAT ranges, so unrelated customers share addresses
 *       (IP velocity), and a few customers use IPv6;</li>
 *   <li>a small ring shares one device and one IP across several wallets with different documents (device
 *       behind many documents), and a few documents stand behind two wallets each (document behind many
 *       accounts).</li>
 * </ul>
 */
final class DemoCustomers {

    /** One synthetic customer; every value is drawn from a fixed alphabet, safe to write into JSON as is. */
    record Customer(String msisdn, List<String> devices, List<String> emails, List<String> ips, String ipCountry,
                    String documentType, String documentNumber, String timeZone) {
    }

    private record Home(String country, String timeZone, String[] ipPrefixes) {
    }

    private static final Home KENYA = new Home("KE", "Africa/Nairobi",
            new String[]{"41.90.64.", "41.90.65.", "105.160.12.", "197.232.61."});
    private static final Home UGANDA = new Home("UG", "Africa/Kampala", new String[]{"41.210.141.", "102.85.4."});
    private static final Home TANZANIA = new Home("TZ", "Africa/Dar_es_Salaam", new String[]{"41.59.82.", "196.249.97."});
    private static final Home RWANDA = new Home("RW", "Africa/Kigali", new String[]{"41.186.20."});
    /** Countries a Kenyan wallet's IP is sometimes located in: travel, VPNs, or someone else entirely. */
    private static final Home[] ABROAD = {UGANDA, TANZANIA, new Home("ZA", "Africa/Johannesburg",
            new String[]{"102.132.216."}), new Home("NG", "Africa/Lagos", new String[]{"102.89.34."})};
    private static final String[] EMAIL_DOMAINS = {"gmail.com", "yahoo.com", "outlook.com", "safaricom.co.ke",
            "example.co.ke"};
    private static final String[] PLATFORMS = {"android", "ios", "web"};
    /** Customers per thousand in the device ring, and wallets per shared document. */
    private static final int RING_SIZE = 6;
    private static final int SHARED_DOCUMENT_PAIRS = 4;

    private final List<Customer> customers;
    private final int ringFirst;

    private DemoCustomers(List<Customer> customers, int ringFirst) {
        this.customers = customers;
        this.ringFirst = ringFirst;
    }

    /** {@code count} customers, the i-th owning {@code wallet(i)}. */
    static DemoCustomers generate(RandomGenerator random, int count) {
        List<Customer> customers = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            customers.add(customer(random, index));
        }
        int ringFirst = ring(random, customers);
        sharedDocuments(customers);
        return new DemoCustomers(List.copyOf(customers), ringFirst);
    }

    /** The index of the {@code member}-th wallet of the device ring (0 to {@value #RING_SIZE} - 1). */
    int ringMember(int member) {
        return ringFirst + Math.floorMod(member, RING_SIZE);
    }

    Customer customer(int index) {
        return customers.get(index);
    }

    int size() {
        return customers.size();
    }

    /** The E.164 number of wallet {@code index}. */
    static String wallet(int index) {
        return "+2547" + String.format(Locale.ROOT, "%08d", 10_000_000 + index).substring(0, 8);
    }

    private static Customer customer(RandomGenerator random, int index) {
        int draw = random.nextInt(100);
        Home home = draw < 85 ? KENYA : draw < 92 ? UGANDA : draw < 97 ? TANZANIA : RWANDA;
        // One Kenyan wallet in ten pays from an IP located elsewhere.
        Home ipHome = home == KENYA && random.nextInt(10) == 0 ? ABROAD[random.nextInt(ABROAD.length)] : home;
        List<String> devices = new ArrayList<>();
        int deviceCount = 1 + random.nextInt(3);
        for (int i = 0; i < deviceCount; i++) {
            devices.add(PLATFORMS[random.nextInt(PLATFORMS.length)] + "-" + hex(random, 12));
        }
        List<String> emails = new ArrayList<>();
        String name = "customer" + index;
        emails.add(name + "@" + EMAIL_DOMAINS[random.nextInt(EMAIL_DOMAINS.length)]);
        if (random.nextInt(5) == 0) {
            emails.add(name + "." + random.nextInt(100) + "@" + EMAIL_DOMAINS[random.nextInt(EMAIL_DOMAINS.length)]);
        }
        List<String> ips = new ArrayList<>();
        int ipCount = 1 + random.nextInt(3);
        for (int i = 0; i < ipCount; i++) {
            // A few customers per address (carrier-grade NAT shares one among several), not hundreds: the
            // catalogue's IP velocity rules would otherwise send every payment of a busy demo to review.
            ips.add(neighbour(ipHome.ipPrefixes()[random.nextInt(ipHome.ipPrefixes().length)], random)
                    + (1 + random.nextInt(254)));
        }
        if (random.nextInt(12) == 0) {
            ips.add("2c0f:fe38:" + Integer.toHexString(random.nextInt(0x10000)) + "::" + (1 + random.nextInt(0xfff)));
        }
        return new Customer(wallet(index), List.copyOf(devices), List.copyOf(emails), List.copyOf(ips),
                ipHome.country(), "PASSPORT", passport(random), home.timeZone());
    }

    /** One device and one IP shared by a handful of customers, each with a document of their own. */
    private static int ring(RandomGenerator random, List<Customer> customers) {
        if (customers.size() < RING_SIZE * 2) {
            return 0;
        }
        String device = "android-" + hex(random, 12);
        String ip = "102.89.34." + (100 + random.nextInt(100));
        int first = random.nextInt(customers.size() - RING_SIZE);
        for (int index = first; index < first + RING_SIZE; index++) {
            Customer member = customers.get(index);
            customers.set(index, new Customer(member.msisdn(), List.of(device), member.emails(), List.of(ip), "NG",
                    member.documentType(), member.documentNumber(), member.timeZone()));
        }
        return first;
    }

    /** Every other of the last few customers takes the document of the one before: one person, two wallets. */
    private static void sharedDocuments(List<Customer> customers) {
        int last = customers.size() - 1;
        for (int pair = 0; pair < SHARED_DOCUMENT_PAIRS && last - 2 * pair - 1 >= 0; pair++) {
            Customer owner = customers.get(last - 2 * pair - 1);
            Customer second = customers.get(last - 2 * pair);
            customers.set(last - 2 * pair, new Customer(second.msisdn(), second.devices(), second.emails(),
                    second.ips(), second.ipCountry(), owner.documentType(), owner.documentNumber(),
                    second.timeZone()));
        }
    }

    /** One of the 16 /24 networks from {@code prefix} ("a.b.c.") on: the operator's range, not one network. */
    private static String neighbour(String prefix, RandomGenerator random) {
        String[] octets = prefix.split("\\.");
        int third = Math.min(255, Integer.parseInt(octets[2]) + random.nextInt(16));
        return octets[0] + "." + octets[1] + "." + third + ".";
    }

    /** Two upper-case letters and seven digits, as Kenyan passports are numbered. */
    private static String passport(RandomGenerator random) {
        return "" + (char) ('A' + random.nextInt(26)) + (char) ('A' + random.nextInt(26))
                + String.format(Locale.ROOT, "%07d", random.nextInt(10_000_000));
    }

    private static String hex(RandomGenerator random, int digits) {
        StringBuilder text = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            text.append(Character.forDigit(random.nextInt(16), 16));
        }
        return text.toString();
    }
}
