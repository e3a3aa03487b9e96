package dev.ngao.risk.topology;

import dev.ngao.events.AccountKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.risk.internal.Reservation;

/**
 * A prepaid card's funds as risk knows them: one exact counter per card and currency, kept by the card's own
 * decision task (a card's account id is its card id, and its loads, authorizations and refunds are all keyed
 * by it) in the all-time usage store under a key kind of its own, {@code FUNDS|cardId|CUR} (a usage counter's
 * key starts with a dimension, and no dimension is called FUNDS), so it is restored from the store's changelog
 * and costs one point read and one write per request that moves it. The {@code card-funds} rule reads it.
 *
 * <p>What moves it mirrors the ledger's card accounts ({@code card:<id>:available}): an approved load adds its
 * amount, an approved or reviewed authorization takes its amount as a hold (so two authorizations racing for the
 * same funds cannot both have them), an approved refund to the card adds its amount; a release reverses what
 * the transaction still moves (a hold given back when the network was answered DECLINE, the ledger refused it,
 * or the provider failed, expired or reversed it; a load or refund taken back out when the ledger refused it or
 * it failed or was reversed). What each transaction moved is kept in its {@link Reservation#getCardFundsMinor()},
 * so a release is exact and applied once. Refunds of an authorization give nothing back of its hold: the refund
 * is its own credit, as in the ledger.
 *
 * <p>The counter may go below zero: a declined authorization the card network was answered APPROVE for (the
 * timeout default) is held anyway, the network's call; and a load risk approved and the ledger refused is taken
 * back out after authorizations may have been approved on it.
 */
final class CardFunds {

    /** The key kind of a card's funds in the all-time usage store. */
    static final String KIND = "FUNDS";
    /** The window start {@link UsageCounters} gives an all-time counter: it lives in the all-time store. */
    private static final long ALL_TIME = -1L;

    private CardFunds() {
    }

    static String storeKey(String cardId, String currency) {
        return KIND + StoreKeys.SEPARATOR + cardId + StoreKeys.SEPARATOR + currency;
    }

    /** Minor units the card has to spend in {@code currency}; 0 for a card never loaded. */
    static long availableMinor(UsageCounters usage, String cardId, String currency) {
        return usage.reservedMinor(storeKey(cardId, currency), ALL_TIME);
    }

    /**
     * Moves the decided request's amount on its card's funds and returns what its transaction keeps of it
     * ({@link Reservation#getCardFundsMinor()}): null for a request that moves no card's funds (not a card's, or a
     * declined load or refund); 0 for a declined authorization or a load in review or challenged, which move
     * nothing yet.
     */
    static Long decided(UsageCounters usage, PaymentRequest request, Outcome outcome) {
        long amountMinor = request.getAmount().getAmountMinor();
        if (request.getAccountKind() != AccountKind.CARD || amountMinor <= 0) {
            return null;
        }
        return switch (request.getType()) {
            case CARD_AUTHORIZATION -> outcome == Outcome.DECLINE ? 0L : move(usage, request, -amountMinor);
            case CARD_LOAD -> outcome == Outcome.APPROVE ? Long.valueOf(move(usage, request, amountMinor))
                    : outcome == Outcome.REVIEW || outcome == Outcome.CHALLENGE ? Long.valueOf(0L) : null;
            case REFUND -> outcome == Outcome.APPROVE ? Long.valueOf(move(usage, request, amountMinor)) : null;
            default -> null;
        };
    }

    /**
     * Moves now what the transaction did not move when it was decided: the hold of a declined authorization the
     * network was answered APPROVE for ({@code signedMinor} negative), the credit of a load an analyst approved
     * (positive). Applied once: false when the transaction moves no funds or already moved them.
     */
    static boolean moveLate(UsageCounters usage, Reservation reservation, long signedMinor) {
        Long moved = reservation.getCardFundsMinor();
        if (moved == null || moved != 0L) {
            return false;
        }
        usage.add(storeKey(reservation.getAccountId(), reservation.getCurrency()),
                ALL_TIME, signedMinor);
        reservation.setCardFundsMinor(signedMinor);
        return true;
    }

    /** Reverses what the transaction still moves on its card's funds, once. */
    static void release(UsageCounters usage, Reservation reservation) {
        Long moved = reservation.getCardFundsMinor();
        if (moved == null || moved == 0L) {
            return;
        }
        usage.add(storeKey(reservation.getAccountId(), reservation.getCurrency()),
                ALL_TIME, -moved);
        reservation.setCardFundsMinor(0L);
    }

    private static long move(UsageCounters usage, PaymentRequest request, long signedMinor) {
        usage.add(storeKey(request.getAccountId(), request.getAmount().getCurrency()),
                ALL_TIME, signedMinor);
        return signedMinor;
    }
}
