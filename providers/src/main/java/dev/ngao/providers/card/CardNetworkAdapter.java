package dev.ngao.providers.card;

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
import dev.ngao.providers.report.CardNetworkReport;
import dev.ngao.providers.report.SettlementReportFormat;

import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/** The card network ({@link CardNetworkApi}): captures of authorised card payments and their status. */
public final class CardNetworkAdapter extends HttpProviderAdapter {

    private static final SettlementReportFormat REPORT = new CardNetworkReport();

    public CardNetworkAdapter(ResilientHttp http) {
        super(http);
        if (http.settings().kind() != ProviderKind.CARD_NETWORK) {
            throw new IllegalArgumentException("settings of another provider");
        }
    }

    @Override
    public SettlementReportFormat reportFormat() {
        return REPORT;
    }

    @Override
    protected HttpRequest.Builder authenticated(HttpRequest.Builder request) {
        return request.header(CardNetworkApi.API_KEY_HEADER, settings().apiKey())
                .header(CardNetworkApi.API_SECRET_HEADER, settings().apiSecret());
    }

    @Override
    protected String submitPath() {
        return CardNetworkApi.CAPTURES_PATH;
    }

    @Override
    protected String statusPath(String encodedTransactionId) {
        return CardNetworkApi.CAPTURES_PATH + "/" + encodedTransactionId;
    }

    @Override
    protected Map<String, Object> submission(PaymentRequest request) {
        if (request.getCard() == null) {
            throw new IllegalArgumentException("a card payment needs its card details");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transactionId", request.getTransactionId());
        body.put("cardId", request.getCard().getCardId());
        body.put("amount", Map.of(
                "value", Amounts.toDecimalText(request.getAmount().getAmountMinor(), request.getAmount().getCurrency()),
                "currency", request.getAmount().getCurrency()));
        return body;
    }

    @Override
    protected ProviderStatusResult status(JsonBodies json, JsonNode answer) {
        Money amount = money(json, answer.path("amount"), "amount");
        JsonNode feeNode = answer.get("interchangeFee");
        Money fee = feeNode == null || feeNode.isNull() ? null : money(json, feeNode, "interchangeFee");
        ProviderStatus status = CardNetworkApi.TYPES.status(json.text(answer, "type"))
                .orElseThrow(() -> json.unreadable("type is not one of the card network's"));
        return new ProviderStatusResult(json.text(answer, "transactionId"), json.text(answer, "authorizationCode"),
                status, amount, fee, json.instant(answer, "timestamp"));
    }

    private static Money money(JsonBodies json, JsonNode node, String field) {
        if (!node.isObject()) {
            throw json.unreadable(field + " missing");
        }
        return json.money(json.text(node, "value"), json.text(node, "currency"), field);
    }
}
