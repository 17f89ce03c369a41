package dev.spike.agent.doctor;

/** Check 10: the Java runtime is 17 or newer (the agent's floor; Raspberry Pi OS Trixie ships 21 and 25). */
final class JavaCheck {

    static final String NAME = "java";

    private JavaCheck() {
    }

    static Finding run() {
        return judge(Runtime.version(), System.getProperty("java.vendor", "unknown vendor"),
                System.getProperty("java.home", "?"));
    }

    static Finding judge(Runtime.Version version, String vendor, String home) {
        String what = "Java " + version + " (" + vendor + ") in " + home;
        if (version.feature() < 17) {
            return Finding.fail(NAME, what + ": the agent needs 17 or newer.",
                    "sudo apt-get install openjdk-17-jre-headless (Bookworm) or openjdk-21-jre-headless (Trixie).");
        }
        return Finding.ok(NAME, what + ".");
    }
}
