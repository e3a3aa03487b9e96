package dev.ngao.ingest.review;

import dev.ngao.events.Outcome;

/** @param note null when none was given */
public record ReviewResolutionRequest(Outcome outcome, String note) {
}
