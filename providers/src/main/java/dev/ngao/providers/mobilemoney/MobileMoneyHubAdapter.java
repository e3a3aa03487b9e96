package dev.ngao.providers.mobilemoney;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderStatus;
import dev.ngao.platform.money.Amounts;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.ProviderStatusResult;
import dev.ngao.providers.http.HttpProviderAdapter;
import dev.ngao.providers.http.JsonBodies;
import dev.ngao.providers.http.ResilientHttp;
import dev.ngao.providers.report.MobileMoneyHubReport;
import dev.ngao.providers.report.SettlementReportFormat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The mobile-money hub ({@link MobileMoneyHubApi}): collections and payouts to M-Pesa, MTN MoMo, Airtel Money wallets. */
public final class MobileMoneyHubAdapter extends HttpProviderAdapter {

    private static final SettlementReportFormat REPORT = new MobileMoneyHubReport();

    public MobileMoneyHubAdapter(ResilientHttp http) {
        super(http);
        if (http.settings().kind() != ProviderKind.MOBILE_MONEY_HUB) {
            throw new IllegalArgumentException("settings of another provider");
        }
    }

    @Override
    public SettlementReportFormat reportFormat() {
        return REPORT;
    }

    @Override
    protected HttpRequest.Builder authenticated(HttpRequest.Builder request) {
        String credentials = settings().apiKey() + ":" + settings().apiSecret();
        return request.header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    protected String submitPath() {
        return MobileMoneyHubApi.PAYMENTS_PATH;
    }

    @Override
    protected String statusPath(String encodedTransactionId) {
        return MobileMoneyHubApi.PAYMENTS_PATH + "/" + encodedTransactionId;
    }

    @Override
    protected Map<String, Object> submission(PaymentRequest request) {
        if (request.getMobileMoney() == null) {
            throw new IllegalArgumentException("a mobile-money payment needs its wallet details");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transactionId", request.getTransactionId());
        body.put("type", request.getType() == PaymentType.MOBILE_MONEY_PAYOUT ? "PAYOUT" : "COLLECTION");
        body.put("amount", Amounts.toDecimalText(request.getAmount().getAmountMinor(), request.getAmount().getCurrency()));
        body.put("currency", request.getAmount().getCurrency());
        body.put("msisdn", request.getMobileMoney().getMsisdn());
        body.put("operator", request.getMobileMoney().getOperator());
        if (request.getCountry() != null) {
            body.put("country", request.getCountry());
        }
        return body;
    }

    @Override
    protected ProviderStatusResult status(JsonBodies json, JsonNode answer) {
        String currency = json.text(answer, "currency");
        Money amount = json.money(json.text(answer, "amount"), currency, "amount");
        String feeText = json.optionalText(answer, "fee");
        Money fee = feeText == null ? null : json.money(feeText, currency, "fee");
        ProviderStatus status = MobileMoneyHubApi.STATUSES.status(json.text(answer, "status"))
                .orElseThrow(() -> json.unreadable("status is not one of the hub's"));
        return new ProviderStatusResult(json.text(answer, "transactionId"), json.text(answer, "hubReference"), status,
                amount, fee, json.instant(answer, "occurredAt"));
    }
}
