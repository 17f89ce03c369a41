package dev.spike.agent;

import java.util.Map;

/** The agent's command line, run in this JVM with a given environment, for tests in other packages. */
public final class AgentMainHarness {

    private AgentMainHarness() {
    }

    public static int run(Map<String, String> env, String... args) {
        return AgentMain.run(env, args);
    }
}
