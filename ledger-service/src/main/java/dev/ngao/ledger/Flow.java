package dev.ngao.ledger;

import dev.ngao.events.AccountKind;

import java.util.Optional;

/**
 * The postings of each payment flow at each step of its lifecycle (README.md, "Postings"). A step
 * is one debit and one credit of the payment's amount; an empty step posts nothing.
 */
enum Flow {

    /** Mobile money collected from a payer: pending on approval, available once the provider confirms. */
    COLLECTION("collection", true) {
        @Override Optional<Move> approval(Accounts a) {
            return move("approved", a.providerClearing(), a.merchant("pending"), false);
        }
        @Override Optional<Move> success(Accounts a) {
            return move("confirmed", a.merchant("pending"), a.merchant("available"), false);
        }
        @Override Optional<Move> failure(Accounts a) {
            return move("failed", a.merchant("pending"), a.providerClearing(), false);
        }
        @Override Optional<Move> reversal(Accounts a) {
            return move("reversed", a.merchant("available"), a.providerClearing(), false);
        }
    },
    /** Mobile money paid out: held in flight on approval, committed on success, voided on failure. */
    PAYOUT("payout", false) {
        @Override Optional<Move> approval(Accounts a) {
            return move("approved", a.merchant("available"), a.payoutsInFlight(), true);
        }
        @Override Optional<Move> success(Accounts a) {
            return move("committed", a.payoutsInFlight(), a.providerClearing(), false);
        }
        @Override Optional<Move> failure(Accounts a) {
            return move("voided", a.payoutsInFlight(), a.merchant("available"), false);
        }
        @Override Optional<Move> reversal(Accounts a) {
            return move("reversed", a.providerClearing(), a.merchant("available"), false);
        }
    },
    /**
     * A PagoEfectivo CIP code: nothing on approval (a code, no money), pending once paid, available once
     * the provider's settlement report confirms; an expired unpaid code is released with no entry.
     */
    CIP("cip", true) {
        @Override Optional<Move> approval(Accounts a) {
            return Optional.empty();
        }
        @Override Optional<Move> success(Accounts a) {
            return move("paid", a.providerClearing(), a.merchant("pending"), false);
        }
        @Override Optional<Move> failure(Accounts a) {
            return Optional.empty();
        }
        @Override Optional<Move> reversal(Accounts a) {
            return move("reversed", a.merchant("available"), a.providerClearing(), false);
        }
    },
    /** Money a merchant (card programme) loads onto a card: final on approval. */
    CARD_LOAD("card-load", false) {
        @Override Optional<Move> approval(Accounts a) {
            return move("approved", a.merchant("available"), a.card("available"), true);
        }
        @Override Optional<Move> success(Accounts a) {
            return Optional.empty();
        }
        @Override Optional<Move> failure(Accounts a) {
            return move("failed", a.card("available"), a.merchant("available"), false);
        }
        @Override Optional<Move> reversal(Accounts a) {
            return move("reversed", a.card("available"), a.merchant("available"), false);
        }
    },
    /** A card authorization: a hold on the card, captured by the network or released on failure or expiry. */
    CARD_AUTHORIZATION("card-auth", false) {
        @Override Optional<Move> approval(Accounts a) {
            return move("held", a.card("available"), a.card("held"), true);
        }
        @Override Optional<Move> success(Accounts a) {
            return move("captured", a.card("held"), a.providerClearing(), false);
        }
        @Override Optional<Move> failure(Accounts a) {
            return move("released", a.card("held"), a.card("available"), false);
        }
        @Override Optional<Move> reversal(Accounts a) {
            return move("reversed", a.providerClearing(), a.card("available"), false);
        }
    },
    /** A refund paid back through the provider (wallet, customer): held in flight like a payout. */
    REFUND("refund", false) {
        @Override Optional<Move> approval(Accounts a) {
            return move("approved", a.merchant("available"), a.payoutsInFlight(), true);
        }
        @Override Optional<Move> success(Accounts a) {
            return move("sent", a.payoutsInFlight(), a.providerClearing(), false);
        }
        @Override Optional<Move> failure(Accounts a) {
            return move("voided", a.payoutsInFlight(), a.merchant("available"), false);
        }
        @Override Optional<Move> reversal(Accounts a) {
            return move("reversed", a.providerClearing(), a.merchant("available"), false);
        }
    },
    /** A refund onto a card: credited to the card at once. */
    REFUND_TO_CARD("refund", false) {
        @Override Optional<Move> approval(Accounts a) {
            return move("approved", a.merchant("available"), a.card("available"), true);
        }
        @Override Optional<Move> success(Accounts a) {
            return Optional.empty();
        }
        @Override Optional<Move> failure(Accounts a) {
            return move("voided", a.card("available"), a.merchant("available"), false);
        }
        @Override Optional<Move> reversal(Accounts a) {
            return move("reversed", a.card("available"), a.merchant("available"), false);
        }
    };

    /**
     * One step's posting: debit {@code debit}, credit {@code credit}, the payment's amount.
     *
     * @param kind     the entry kind, e.g. {@code collection.confirmed}
     * @param spending true when it spends a balance that may not go negative (the ledger may refuse it);
     *                 false for a fact the provider reports, which the ledger records whatever the balance
     */
    record Move(String kind, AccountName debit, AccountName credit, boolean spending) {
    }

    private final String prefix;
    private final boolean inbound;

    Flow(String prefix, boolean inbound) {
        this.prefix = prefix;
        this.inbound = inbound;
    }

    /** What risk approving posts. */
    abstract Optional<Move> approval(Accounts accounts);

    /** What the provider's SUCCEEDED posts while the payment is open (CIP: paid). */
    abstract Optional<Move> success(Accounts accounts);

    /** What FAILED, EXPIRED or REVERSED posts before success: the approval undone. */
    abstract Optional<Move> failure(Accounts accounts);

    /** What REVERSED posts after success. */
    abstract Optional<Move> reversal(Accounts accounts);

    /** CIP only: the paid money, pending, becomes available once the provider settles it. */
    Optional<Move> settlement(Accounts accounts) {
        return this == CIP ? move("settled", accounts.merchant("pending"), accounts.merchant("available"), false)
                : Optional.empty();
    }

    /** CIP only: a reversal of a paid code not yet settled takes the money back from pending. */
    Optional<Move> reversalWhilePaid(Accounts accounts) {
        return this == CIP ? move("reversed", accounts.merchant("pending"), accounts.providerClearing(), false)
                : Optional.empty();
    }

    /**
     * Money the provider reports as moved for a payment the ledger did not approve (declined, refused):
     * into suspense for inbound flows, out of it for outbound ones, until the reconciler resolves it.
     */
    Optional<Move> unmatched(Accounts accounts) {
        if (this == CARD_LOAD || this == REFUND_TO_CARD) {
            return Optional.empty();
        }
        return inbound
                ? Optional.of(new Move("suspense.received", accounts.providerClearing(), accounts.suspense(), false))
                : Optional.of(new Move("suspense.sent", accounts.suspense(), accounts.providerClearing(), false));
    }

    Optional<Move> move(String step, AccountName debit, AccountName credit, boolean spending) {
        return Optional.of(new Move(prefix + "." + step, debit, credit, spending));
    }

    /** The flow of a payment, or empty for a type the ledger has no postings for. */
    static Optional<Flow> of(Lifecycle.Facts facts) {
        return switch (facts.type()) {
            case MOBILE_MONEY_COLLECTION -> Optional.of(COLLECTION);
            case MOBILE_MONEY_PAYOUT -> Optional.of(PAYOUT);
            case CIP_PAYMENT -> Optional.of(CIP);
            case CARD_LOAD -> Optional.of(CARD_LOAD);
            case CARD_AUTHORIZATION -> Optional.of(CARD_AUTHORIZATION);
            case REFUND -> Optional.of(facts.accountKind() == AccountKind.CARD ? REFUND_TO_CARD : REFUND);
            default -> Optional.empty();
        };
    }

    /**
     * The accounts of one payment, validated on creation so a decision whose ids cannot name accounts is
     * refused as bad input before anything changes.
     */
    static final class Accounts {

        private final Lifecycle.Facts facts;

        Accounts(Lifecycle.Facts facts) {
            this.facts = facts;
            providerClearing();
            suspense();
            merchant("available");
            if (facts.accountKind() == AccountKind.CARD) {
                card("available");
            }
        }

        AccountName providerClearing() {
            return name("provider", facts.provider(), "clearing");
        }

        AccountName payoutsInFlight() {
            return name("payouts", facts.provider(), "in-flight");
        }

        AccountName suspense() {
            return name("suspense", facts.provider(), "unmatched");
        }

        AccountName merchant(String role) {
            return name("merchant", facts.merchantId(), role);
        }

        AccountName card(String role) {
            return name("card", facts.accountId(), role);
        }

        private AccountName name(String type, String owner, String role) {
            try {
                return AccountName.of(type, owner, role, facts.currency());
            } catch (InvalidAccountNameException e) {
                throw new UnpostableDecisionException("payment names no valid " + type + " account: "
                        + e.getMessage(), e);
            }
        }
    }
}
