package dev.ngao.sandbox.provider;

import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a payment's genuine webhooks into the calls actually made, with the run's misbehaviour: a pure
 * function of its inputs and the payment's seeded draws. Each genuine webhook draws, always in this order
 * and always all five: drop, delay, duplicate, forge, stale; the payment draws reorder first. A fixed number
 * of draws keeps every later draw where it was when a percentage changes.
 */
final class WebhookPlanner {

    private WebhookPlanner() {
    }

    static List<Delivery> plan(SandboxPayment payment, List<Webhook> genuine, Misbehaviour misbehaviour,
                               Duration finalWait, Chance chance, Dialect dialect, Consumer<Injection> injections) {
        String provider = payment.kind().id();
        String transactionId = payment.transactionId();
        // The wait before each genuine webhook, the final one when it takes effect.
        List<Webhook> ordered = new ArrayList<>(genuine);
        List<Duration> waits = new ArrayList<>();
        for (int index = 0; index < ordered.size(); index++) {
            waits.add(index == 0 ? Duration.ZERO : finalWait);
        }
        boolean reorder = chance.percent(misbehaviour.reorderPercent());
        if (reorder && ordered.size() == 2) {
            // The final status arrives first, when it takes effect; the PENDING one right after it.
            ordered = List.of(ordered.get(1), ordered.get(0));
            waits = List.of(finalWait, Duration.ZERO);
            injections.accept(new Injection(Injection.Kind.WEBHOOKS_REORDERED, provider, transactionId,
                    ordered.get(0).eventId()));
        }
        List<Delivery> deliveries = new ArrayList<>();
        Duration carried = Duration.ZERO;
        for (int index = 0; index < ordered.size(); index++) {
            Webhook webhook = ordered.get(index);
            Duration wait = waits.get(index).plus(carried);
            carried = Duration.ZERO;
            boolean drop = chance.percent(misbehaviour.dropPercent());
            boolean delay = chance.percent(misbehaviour.delayPercent());
            boolean duplicate = chance.percent(misbehaviour.duplicatePercent());
            boolean forge = chance.percent(misbehaviour.forgePercent());
            boolean stale = chance.percent(misbehaviour.stalePercent());
            if (drop) {
                injections.accept(new Injection(Injection.Kind.WEBHOOK_DROPPED, provider, transactionId, webhook.eventId()));
                // The time it would have taken still passes before the next one.
                carried = wait;
                continue;
            }
            if (delay) {
                wait = wait.plus(misbehaviour.webhookDelay());
                injections.accept(new Injection(Injection.Kind.WEBHOOK_DELAYED, provider, transactionId, webhook.eventId()));
            }
            if (forge) {
                // The attacker's copy goes first: it must not win by arriving before the genuine one.
                deliveries.add(new Delivery(forged(payment, webhook, dialect), Delivery.Signing.FORGED, wait));
                wait = Duration.ZERO;
                injections.accept(new Injection(Injection.Kind.WEBHOOK_FORGED, provider, transactionId, webhook.eventId()));
            }
            deliveries.add(new Delivery(webhook, Delivery.Signing.VALID, wait));
            if (duplicate) {
                deliveries.add(new Delivery(webhook, Delivery.Signing.VALID, Duration.ZERO));
                injections.accept(new Injection(Injection.Kind.WEBHOOK_DUPLICATED, provider, transactionId,
                        webhook.eventId()));
            }
            if (stale) {
                deliveries.add(new Delivery(webhook, Delivery.Signing.STALE, Duration.ZERO));
                injections.accept(new Injection(Injection.Kind.WEBHOOK_STALE, provider, transactionId, webhook.eventId()));
            }
        }
        return List.copyOf(deliveries);
    }

    /** A tampered copy: success where there was none (or a reversal of a success), ten times the amount. */
    private static Webhook forged(SandboxPayment payment, Webhook genuine, Dialect dialect) {
        ProviderStatus status = genuine.status() == ProviderStatus.SUCCEEDED ? ProviderStatus.REVERSED
                : ProviderStatus.SUCCEEDED;
        Money amount = payment.amount();
        SandboxPayment tampered = new SandboxPayment(payment.kind(), payment.transactionId(), payment.reference(),
                new Money(Math.multiplyExact(amount.getAmountMinor(), 10L), amount.getCurrency()), null, status,
                payment.acceptedAt(), payment.acceptedAt(), false);
        String eventId = genuine.eventId() + "-forged";
        return new Webhook(payment.kind(), payment.transactionId(), eventId, status,
                dialect.webhookBody(tampered, status, eventId, payment.acceptedAt()));
    }
}
