package dev.ngao.rules;

import dev.ngao.events.AccountKind;
import dev.ngao.events.ListDimension;
import dev.ngao.events.ListKind;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.platform.invariant.Invariants;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@link StateView} held in memory, for tests and for replaying recorded requests through a candidate
 * rule set without touching live state. Unlike a stage of risk-streams it answers for every dimension.
 * Written only through its own methods, of which {@link #record} applies what a decided request leaves
 * behind. Not thread-safe.
 */
public final class InMemoryStateView implements StateView {

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private record Attempt(Instant at, long amountMinor, String currency) {
    }

    private record Pair(String countedValue, Instant at) {
    }

    private record Entry(String merchantId, ListKind kind, ListDimension dimension, String value, String entryId,
                         String reason, Instant expiresAt) {
    }

    private final Map<UsageKey, Long> reservedMinor = new HashMap<>();
    private final Map<String, List<Attempt>> attempts = new HashMap<>();
    private final Map<String, List<Pair>> pairs = new HashMap<>();
    private final Map<String, CardState> cards = new HashMap<>();
    private final Map<String, Long> approvedMinor = new HashMap<>();
    private final Set<String> devices = new HashSet<>();
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Long> cardFundsMinor = new HashMap<>();

    @Override
    public long reservedMinor(UsageKey key) {
        return reservedMinor.getOrDefault(key, 0L);
    }

    @Override
    public WindowTotals window(Dimension dimension, String value, Duration window, Instant end, String currency) {
        long count = 0;
        long sumMinor = 0;
        for (Attempt attempt : attempts.getOrDefault(dimension + "|" + value, List.of())) {
            if (inWindow(attempt.at(), window, end)) {
                count++;
                if (attempt.currency().equals(currency)) {
                    sumMinor = Math.addExact(sumMinor, attempt.amountMinor());
                }
            }
        }
        return new WindowTotals(count, sumMinor);
    }

    @Override
    public int distinctCount(Dimension dimension, String value, Dimension counted, Duration window, Instant end) {
        return (int) pairs.getOrDefault(pairKey(dimension, value, counted), List.of()).stream()
                .filter(pair -> inWindow(pair.at(), window, end)).map(Pair::countedValue).distinct().count();
    }

    @Override
    public boolean seenWith(Dimension dimension, String value, Dimension counted, String countedValue,
                            Duration window, Instant end) {
        return pairs.getOrDefault(pairKey(dimension, value, counted), List.of()).stream()
                .anyMatch(pair -> pair.countedValue().equals(countedValue) && inWindow(pair.at(), window, end));
    }

    @Override
    public Optional<CardState> card(String cardId) {
        return Optional.ofNullable(cards.get(cardId));
    }

    @Override
    public ListLookup lists() {
        return (merchantId, kind, dimension, value, at) -> entries.stream()
                .filter(entry -> entry.merchantId().equals(merchantId) && entry.kind() == kind)
                .filter(entry -> entry.expiresAt() == null || at.isBefore(entry.expiresAt()))
                .filter(entry -> matches(entry, dimension, value))
                .findFirst()
                .map(entry -> new ListLookup.ListMatch(entry.entryId(), entry.dimension(), entry.reason()));
    }

    @Override
    public long approvedOnDayMinor(String accountId, String currency, LocalDate day) {
        return approvedMinor.getOrDefault(accountId + "|" + currency + "|" + day, 0L);
    }

    @Override
    public boolean deviceSeen(String accountId, String deviceHash) {
        return devices.contains(accountId + "|" + deviceHash);
    }

    @Override
    public long cardFundsMinor(String cardId, String currency) {
        return cardFundsMinor.getOrDefault(cardId + "|" + currency, 0L);
    }

    /** Adds {@code deltaMinor} to the card's funds: a load or refund to it adds, an authorization takes. */
    public InMemoryStateView cardFunds(String cardId, String currency, long deltaMinor) {
        cardFundsMinor.merge(cardId + "|" + currency, deltaMinor, Math::addExact);
        return this;
    }

    /** Adds {@code amountMinor} to the counter {@code key}. */
    public InMemoryStateView reserve(UsageKey key, long amountMinor) {
        Invariants.check(amountMinor >= 0, "a reservation adds a non-negative amount");
        reservedMinor.merge(key, amountMinor, Math::addExact);
        return this;
    }

    /** Takes {@code amountMinor} back from the counter {@code key}; a counter never goes negative. */
    public InMemoryStateView release(UsageKey key, long amountMinor) {
        long left = reservedMinor(key) - amountMinor;
        Invariants.check(amountMinor >= 0 && left >= 0, "a release never makes a reservation negative");
        reservedMinor.put(key, left);
        return this;
    }

    /** A request of {@code dimension}'s {@code value} at {@code at}, for velocity windows. */
    public InMemoryStateView attempt(Dimension dimension, String value, Instant at, long amountMinor, String currency) {
        attempts.computeIfAbsent(dimension + "|" + value, key -> new ArrayList<>())
                .add(new Attempt(at, amountMinor, currency));
        return this;
    }

    /** {@code counted}'s {@code countedValue} seen with {@code dimension}'s {@code value} at {@code at}. */
    public InMemoryStateView seen(Dimension dimension, String value, Dimension counted, String countedValue,
                                  Instant at) {
        pairs.computeIfAbsent(pairKey(dimension, value, counted), key -> new ArrayList<>())
                .add(new Pair(countedValue, at));
        return this;
    }

    public InMemoryStateView card(CardState card) {
        cards.put(card.cardId(), card);
        return this;
    }

    /** Approved spend of the account on a UTC day. */
    public InMemoryStateView approved(String accountId, String currency, LocalDate day, long amountMinor) {
        approvedMinor.merge(accountId + "|" + currency + "|" + day, amountMinor, Math::addExact);
        return this;
    }

    public InMemoryStateView device(String accountId, String deviceHash) {
        devices.add(accountId + "|" + deviceHash);
        return this;
    }

    /**
     * A list entry: {@code value} is the keyed hash for personal dimensions, the clear value for IP,
     * COUNTRY and CIDR ("10.0.0.0/8"); {@code expiresAt} null for never.
     */
    public InMemoryStateView listEntry(String merchantId, ListKind kind, ListDimension dimension, String value,
                                       String entryId, String reason, Instant expiresAt) {
        entries.add(new Entry(merchantId, kind, dimension, value, entryId, reason, expiresAt));
        return this;
    }

    /**
     * What a decided request leaves behind, as a stage would record it: an attempt on every dimension it
     * carries (whatever the outcome), every pair of its dimensions for distinct counts, its device on its
     * account; when {@code approved}, the amounts on the counters the rule set's enforced rules consume,
     * the account's approved spend of the UTC day, and a card's funds (a load adds, an authorization takes).
     */
    public InMemoryStateView record(PaymentRequest request, CompiledRuleSet ruleSet, boolean approved) {
        Map<Dimension, String> values = Dimension.valuesOf(request);
        Instant at = request.getRequestedAt();
        long amountMinor = request.getAmount().getAmountMinor();
        String currency = request.getAmount().getCurrency();
        values.forEach((dimension, value) -> {
            attempt(dimension, value, at, amountMinor, currency);
            values.forEach((counted, countedValue) -> {
                if (counted != dimension) {
                    seen(dimension, value, counted, countedValue, at);
                }
            });
        });
        Dimension.DEVICE.valueOf(request).ifPresent(device -> device(request.getAccountId(), device));
        if (approved && amountMinor > 0) {
            values.forEach((dimension, value) -> {
                RuleInput input = new RuleInput(request, value, this);
                ruleSet.usageKeys(dimension, input).forEach(key -> reserve(key, amountMinor));
            });
            approved(request.getAccountId(), currency, LocalDate.ofInstant(at, ZoneOffset.UTC), amountMinor);
            if (request.getAccountKind() == AccountKind.CARD && request.getType() == PaymentType.CARD_LOAD) {
                cardFunds(request.getAccountId(), currency, amountMinor);
            } else if (request.getAccountKind() == AccountKind.CARD
                    && request.getType() == PaymentType.CARD_AUTHORIZATION) {
                cardFunds(request.getAccountId(), currency, -amountMinor);
            }
        }
        return this;
    }

    private static boolean inWindow(Instant at, Duration window, Instant end) {
        return at.isAfter(end.minus(window)) && !at.isAfter(end);
    }

    private static String pairKey(Dimension dimension, String value, Dimension counted) {
        return dimension + "|" + value + "|" + counted;
    }

    private static boolean matches(Entry entry, ListDimension dimension, String value) {
        if (entry.dimension() == ListDimension.CIDR && dimension == ListDimension.IP) {
            return inRange(value, entry.value());
        }
        return entry.dimension() == dimension && Objects.equals(entry.value(), value);
    }

    /** Whether the IP literal {@code ip} is inside {@code cidr} ("10.0.0.0/8", "2001:db8::/32"). */
    static boolean inRange(String ip, String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0 || !IP_LITERAL.matcher(ip).matches() || !IP_LITERAL.matcher(cidr.substring(0, slash)).matches()) {
            return false;
        }
        try {
            // Both are literals (checked above), so no name is ever looked up.
            byte[] address = InetAddress.getByName(ip).getAddress();
            byte[] network = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            int prefix = Integer.parseInt(cidr.substring(slash + 1));
            if (address.length != network.length || prefix < 0 || prefix > address.length * 8) {
                return false;
            }
            int shift = address.length * 8 - prefix;
            return new BigInteger(1, address).shiftRight(shift).equals(new BigInteger(1, network).shiftRight(shift));
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }
}
