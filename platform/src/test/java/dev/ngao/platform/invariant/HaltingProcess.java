package dev.ngao.platform.invariant;

/** A process that breaks an invariant the way an owner thread does: catch the violation at the top and halt. */
final class HaltingProcess {

    private HaltingProcess() {
    }

    public static void main(String[] args) {
        try {
            Invariants.check(false, "entry je:t-1:approved does not balance in KES");
        } catch (InvariantViolation violation) {
            Invariants.halt(violation);
        }
        // Reached only if the default halt did not stop the process.
        System.exit(0);
    }
}
