package dev.ngao.providers.pagoefectivo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderStatus;
import dev.ngao.platform.money.Amounts;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.ProviderStatusResult;
import dev.ngao.providers.http.HttpProviderAdapter;
import dev.ngao.providers.http.JsonBodies;
import dev.ngao.providers.http.ResilientHttp;
import dev.ngao.providers.report.PagoEfectivoReport;
import dev.ngao.providers.report.SettlementReportFormat;

import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PagoEfectivo-like CIP service ({@link PagoEfectivoApi}): a payment code the payer pays in cash at an
 * agent or bank before it expires. Its times are Lima local time: converted here, at the edge.
 */
public final class PagoEfectivoAdapter extends HttpProviderAdapter {

    private static final SettlementReportFormat REPORT = new PagoEfectivoReport();

    public PagoEfectivoAdapter(ResilientHttp http) {
        super(http);
        if (http.settings().kind() != ProviderKind.PAGOEFECTIVO) {
            throw new IllegalArgumentException("settings of another provider");
        }
    }

    @Override
    public SettlementReportFormat reportFormat() {
        return REPORT;
    }

    @Override
    protected HttpRequest.Builder authenticated(HttpRequest.Builder request) {
        return request.header(PagoEfectivoApi.ACCESS_KEY_HEADER, settings().apiKey())
                .header(PagoEfectivoApi.SECRET_KEY_HEADER, settings().apiSecret());
    }

    @Override
    protected String submitPath() {
        return PagoEfectivoApi.CIPS_PATH;
    }

    @Override
    protected String statusPath(String encodedTransactionId) {
        return PagoEfectivoApi.CIPS_PATH + "/" + encodedTransactionId;
    }

    @Override
    protected Map<String, Object> submission(PaymentRequest request) {
        if (request.getCip() == null) {
            throw new IllegalArgumentException("a CIP payment needs its CIP details");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transactionCode", request.getTransactionId());
        body.put("amount", Amounts.toDecimalText(request.getAmount().getAmountMinor(), request.getAmount().getCurrency()));
        body.put("currency", request.getAmount().getCurrency());
        if (request.getCip().getPaymentCode() != null) {
            body.put("paymentCode", request.getCip().getPaymentCode());
        }
        body.put("expiresAt", request.getCip().getExpiresAt().atZone(PagoEfectivoApi.LIMA)
                .format(PagoEfectivoApi.LOCAL_DATE_TIME));
        return body;
    }

    @Override
    protected ProviderStatusResult status(JsonBodies json, JsonNode answer) {
        String currency = json.text(answer, "currency");
        Money amount = json.money(json.text(answer, "amount"), currency, "amount");
        String feeText = json.optionalText(answer, "fee");
        Money fee = feeText == null ? null : json.money(feeText, currency, "fee");
        ProviderStatus status = PagoEfectivoApi.STATUSES.status(json.text(answer, "status"))
                .orElseThrow(() -> json.unreadable("status is not one of PagoEfectivo's"));
        return new ProviderStatusResult(json.text(answer, "transactionCode"), json.text(answer, "cip"), status, amount,
                fee, json.localDateTime(answer, "eventDate", PagoEfectivoApi.LIMA));
    }
}
