package dev.ngao.providers.pagoefectivo;

import dev.ngao.events.ProviderStatus;
import dev.ngao.providers.StatusWords;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The PagoEfectivo-like CIP service's HTTP contract, shared by the adapter and the sandbox. Its date-times
 * are Lima local time without offset, as PagoEfectivo writes them.
 * <pre>
 * POST /v1/cips                 PE-Access-Key: key, PE-Secret-Key: secret, Idempotency-Key: the caller's key (one per submission)
 *   {"transactionCode", "amount": "50.00", "currency": "PEN", "paymentCode"?, "expiresAt": Lima local}
 *   -> 201 {"transactionCode", "cip", "status", "amount", "currency", "fee"?, "eventDate": Lima local}
 * GET  /v1/cips/{transactionCode} -> 200 the same shape, 404 when unknown
 * GET  /health -> 200
 * </pre>
 */
public final class PagoEfectivoApi {

    public static final String CIPS_PATH = "/v1/cips";
    public static final String ACCESS_KEY_HEADER = "PE-Access-Key";
    public static final String SECRET_KEY_HEADER = "PE-Secret-Key";
    public static final ZoneId LIMA = ZoneId.of("America/Lima");
    /** Lima local date-time without offset, to the second. */
    public static final DateTimeFormatter LOCAL_DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    public static final StatusWords STATUSES = StatusWords.of(
            "PENDIENTE", ProviderStatus.PENDING,
            "PAGADO", ProviderStatus.SUCCEEDED,
            "ANULADO", ProviderStatus.FAILED,
            "EXPIRADO", ProviderStatus.EXPIRED,
            "EXTORNADO", ProviderStatus.REVERSED);

    /** The event types of its webhooks (what ingest-service reads), per status. */
    public static final StatusWords EVENT_TYPES = StatusWords.of(
            "cip.generated", ProviderStatus.PENDING,
            "cip.paid", ProviderStatus.SUCCEEDED,
            "cip.cancelled", ProviderStatus.FAILED,
            "cip.expired", ProviderStatus.EXPIRED,
            "cip.extorned", ProviderStatus.REVERSED);

    private PagoEfectivoApi() {
    }
}
