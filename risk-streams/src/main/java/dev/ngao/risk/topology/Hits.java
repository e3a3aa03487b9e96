package dev.ngao.risk.topology;

import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import dev.ngao.risk.internal.StageHit;
import dev.ngao.rules.Dimension;
import dev.ngao.rules.RuleHit;

import java.util.List;

/** Rule hits to and from their internal form on the verdict topics. */
final class Hits {

    private Hits() {
    }

    static List<StageHit> toStage(List<RuleHit> hits) {
        return hits.stream().map(hit -> StageHit.newBuilder()
                .setRuleId(hit.ruleId())
                .setRuleSetVersion(hit.ruleSetVersion())
                .setAction(hit.action().name())
                .setMode(hit.mode().name())
                .setDimension(hit.dimension() == null ? null : hit.dimension().name())
                .setWeight(hit.weight())
                .setMessage(hit.message())
                .build()).toList();
    }

    static RuleHit fromStage(StageHit hit) {
        return new RuleHit(hit.getRuleId(), hit.getRuleSetVersion(), RuleAction.valueOf(hit.getAction()),
                RuleMode.valueOf(hit.getMode()), hit.getDimension() == null ? null : Dimension.valueOf(hit.getDimension()),
                hit.getWeight(), hit.getMessage());
    }
}
