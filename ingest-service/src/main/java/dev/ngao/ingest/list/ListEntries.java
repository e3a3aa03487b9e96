package dev.ngao.ingest.list;

import dev.ngao.events.ListDimension;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.ListKind;
import dev.ngao.ingest.pii.PersonalData;
import dev.ngao.platform.pii.PiiProtector;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entries of the allow and block lists and their keys on the compacted {@code risk.lists} topic.
 *
 * <p>Every value is keyed by its keyed hash, in the dimension a value of its kind is hashed in everywhere
 * else (a PHONE entry equals the account id of that number's wallet, a DNI entry the account id of that CIP
 * payer). Email, phone, device and DNI values are personal and travel only hashed and masked; IP, CIDR and
 * COUNTRY values also travel in clear, because a range or a country is matched on its value.
 *
 * <p>The record key is {@code merchantId|LIST|DIMENSION|valueHash}: the merchant is part of it, so one
 * merchant's entries can never replace or remove another's. The entry id, {@code dimension_hex}, is derived
 * from the value hash, so a delete rebuilds the key from the path and the caller's merchant alone.
 */
public final class ListEntries {

    private static final Pattern ENTRY_ID = Pattern.compile("([a-z]+)_([0-9a-f]{32})");

    private final PiiProtector piiProtector;
    private final Clock clock;

    public ListEntries(PiiProtector piiProtector, Clock clock) {
        this.piiProtector = piiProtector;
        this.clock = clock;
    }

    /** The keyed-hash dimension of a list dimension's values. */
    static String hashDimension(ListDimension dimension) {
        return switch (dimension) {
            case EMAIL -> PersonalData.EMAIL;
            case PHONE -> PersonalData.MSISDN;
            case DEVICE -> PersonalData.DEVICE;
            case DNI -> PersonalData.DNI;
            case IP -> "ip";
            case CIDR -> "cidr";
            case COUNTRY -> "country";
            case UNKNOWN -> throw new IllegalArgumentException("no hash dimension for UNKNOWN");
        };
    }

    static boolean isPersonal(ListDimension dimension) {
        return switch (dimension) {
            case EMAIL, PHONE, DEVICE, DNI -> true;
            default -> false;
        };
    }

    public static String key(String merchantId, ListKind list, ListDimension dimension, String valueHash) {
        return merchantId + "|" + list.name() + "|" + dimension.name() + "|" + valueHash;
    }

    static String entryId(ListDimension dimension, String valueHash) {
        return dimension.name().toLowerCase(Locale.ROOT) + "_" + PersonalData.hexOf(valueHash);
    }

    /** The record key an entry id names in {@code list} of {@code merchantId}, or empty if it is not an entry id. */
    public static Optional<String> keyOf(String entryId, String merchantId, ListKind list) {
        Matcher matcher = ENTRY_ID.matcher(entryId);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        for (ListDimension dimension : ListDimension.values()) {
            if (dimension != ListDimension.UNKNOWN && dimension.name().toLowerCase(Locale.ROOT).equals(matcher.group(1))) {
                return Optional.of(key(merchantId, list, dimension, hashDimension(dimension) + ":" + matcher.group(2)));
            }
        }
        return Optional.empty();
    }

    public ListEntryChange added(String merchantId, ListKind list, ListEntryRequest request, String apiKeyId) {
        String valueHash = piiProtector.hash(hashDimension(request.dimension()), request.value());
        boolean personal = isPersonal(request.dimension());
        return ListEntryChange.newBuilder()
                .setEntryId(entryId(request.dimension(), valueHash))
                .setMerchantId(merchantId)
                .setList(list)
                .setDimension(request.dimension())
                .setValueHash(valueHash)
                .setValue(personal ? null : request.value())
                .setValueMasked(personal ? mask(request.dimension(), request.value()) : null)
                .setReason(request.reason())
                .setExpiresAt(request.expiresAt())
                .setApiKeyId(apiKeyId)
                .setChangedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    private static String mask(ListDimension dimension, String value) {
        return switch (dimension) {
            case EMAIL -> PersonalData.maskEmail(value);
            case PHONE -> PersonalData.maskPhone(value);
            case DNI -> PersonalData.maskDocument(value);
            default -> PiiProtector.mask(value, 0, 4);
        };
    }
}
