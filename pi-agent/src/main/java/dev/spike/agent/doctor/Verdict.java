package dev.spike.agent.doctor;

/** How one check came out. Only {@link #FAIL} makes {@code spike-agent doctor} exit non-zero. */
enum Verdict {
    /** Nothing to do. */
    OK,
    /** Advice, or something the doctor could not tell; the agent can run. */
    WARN,
    /** The agent will not work as it should until a person fixes this. */
    FAIL
}
