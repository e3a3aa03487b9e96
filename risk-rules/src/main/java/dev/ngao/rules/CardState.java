package dev.ngao.rules;

import dev.ngao.events.SpendingControls;

import java.time.Instant;

/**
 * A card as the fold of its {@code cards.events}: whether it is frozen, whether its holder passed KYC,
 * when it expires (null: no expiry known), its currency and its spending controls (null: none set).
 */
public record CardState(String cardId, String merchantId, String currency, boolean frozen, boolean kycComplete,
                        Instant expiresAt, SpendingControls controls) {
}
