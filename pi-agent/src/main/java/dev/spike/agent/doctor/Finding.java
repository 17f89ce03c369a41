package dev.spike.agent.doctor;

import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of one check: a verdict, what was found, and for a FAIL (sometimes a WARN) the fix in one sentence.
 *
 * @param check   a short name, such as {@code i2c-bus}
 * @param finding what the check saw, with the figures it judged
 * @param fix     what a person should do, or null
 */
record Finding(String check, Verdict verdict, String finding, String fix) {

    public Finding {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(finding, "finding");
    }

    public static Finding ok(String check, String finding) {
        return new Finding(check, Verdict.OK, finding, null);
    }

    public static Finding warn(String check, String finding, String fix) {
        return new Finding(check, Verdict.WARN, finding, fix);
    }

    public static Finding fail(String check, String finding, String fix) {
        return new Finding(check, Verdict.FAIL, finding, Objects.requireNonNull(fix, "fix"));
    }

    /** One line: {@code FAIL  i2c-bus        no /dev/i2c-1 ... Fix: ...}. */
    public String line() {
        String text = fix == null ? finding : sentence(finding) + " Fix: " + fix;
        return String.format(Locale.ROOT, "%-4s  %-14s %s", verdict, check, text.replace('\n', ' '));
    }

    /** Messages from elsewhere (an exception, a tool) may lack the full stop before "Fix:". */
    private static String sentence(String text) {
        String trimmed = text.strip();
        return trimmed.endsWith(".") ? trimmed : trimmed + ".";
    }
}
