package dev.spike.agent.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Check 6: the installed unit closes the valve after every exit with the stop step, and the stop step reads the same
 * config as the agent. The unit's {@code ExecStopPost=} must run {@code spike-valve-close --config FILE} with the
 * config the doctor was given; the step's {@code --dry-run} prints {@code gpio=}, {@code activeLow=},
 * {@code closedLevel=}, {@code chip=} and {@code command=} lines, which must agree with {@code valve.gpio} and
 * {@code valve.activeLow}.
 */
final class StopStepCheck {

    static final String NAME = "stop-step";
    static final String REINSTALL = "re-run install.sh (sudo ./install.sh) to install the current unit and stop step.";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What the doctor compares the stop step with. */
    record Expected(Path script, Path config, int gpio, boolean activeLow) {
        int closedLevel() {
            return activeLow ? 1 : 0;
        }
    }

    private StopStepCheck() {
    }

    static Finding run(Path unitFile, Expected expected, CommandRunner commands) throws InterruptedException {
        String unit;
        try {
            unit = Files.readString(unitFile);
        } catch (NoSuchFileException e) {
            return Finding.fail(NAME, "no " + unitFile + ": the agent is not installed as a service.", REINSTALL);
        } catch (IOException e) {
            return Finding.fail(NAME, "cannot read " + unitFile + ": " + e.getMessage(), "run the doctor with sudo.");
        }
        Finding unitProblem = judgeUnit(unitFile, execStopPost(unit), expected);
        if (unitProblem != null) {
            return unitProblem;
        }
        Path script = expected.script();
        if (!Files.isRegularFile(script)) {
            return Finding.fail(NAME, "the unit runs " + script + ", which does not exist.", REINSTALL);
        }
        if (!Files.isExecutable(script)) {
            return Finding.fail(NAME, script + " is not executable.", "sudo chmod 755 " + script + ".");
        }
        CommandRunner.Result dryRun = commands.run(TIMEOUT,
                List.of(script.toString(), "--config", expected.config().toString(), "--dry-run"));
        return judgeDryRun(script, dryRun, expected);
    }

    /** The commands of every {@code ExecStopPost=} line, split into words, prefixes such as "-" removed. */
    static List<List<String>> execStopPost(String unit) {
        return commands(unit, "ExecStopPost");
    }

    /** The commands of every {@code key=} line of a unit, split into words, prefixes such as "-" removed. */
    static List<List<String>> commands(String unit, String key) {
        List<List<String>> commands = new ArrayList<>();
        for (String raw : unit.split("\n")) {
            String line = raw.strip();
            if (!line.startsWith(key + "=")) {
                continue;
            }
            String command = line.substring(key.length() + 1).strip();
            // systemd's special prefixes: - @ : + ! (ignore failure, argv0, no env expansion, privileges)
            int start = 0;
            while (start < command.length() && "-@:+!".indexOf(command.charAt(start)) >= 0) {
                start++;
            }
            List<String> words = words(command.substring(start));
            if (!words.isEmpty()) {
                commands.add(words);
            }
        }
        return commands;
    }

    /** Null if the unit's ExecStopPost runs the stop step with the expected config, else the FAIL. */
    static Finding judgeUnit(Path unitFile, List<List<String>> stopPosts, Expected expected) {
        if (stopPosts.isEmpty()) {
            return Finding.fail(NAME, unitFile + " has no ExecStopPost=, so a killed agent leaves the valve as it"
                    + " was.", REINSTALL);
        }
        for (List<String> command : stopPosts) {
            if (Path.of(command.get(0)).getFileName().toString().equals("gpioset")) {
                return Finding.fail(NAME, unitFile + " still closes the valve with a baked-in `"
                        + String.join(" ", command) + "`, which does not follow agent.properties.", REINSTALL);
            }
        }
        List<String> command = stopPosts.stream().filter(c -> c.get(0).equals(expected.script().toString()))
                .findFirst().orElse(null);
        if (command == null) {
            return Finding.fail(NAME, unitFile + " runs `" + String.join(" ", stopPosts.get(0))
                    + "` after the agent, not " + expected.script() + ".", REINSTALL);
        }
        String config = option(command, "--config");
        if (config == null) {
            return Finding.fail(NAME, "the unit runs " + expected.script() + " without --config.", REINSTALL);
        }
        if (!Path.of(config).toAbsolutePath().normalize().equals(expected.config().toAbsolutePath().normalize())) {
            return Finding.fail(NAME, "the unit's stop step reads " + config + ", but the doctor was given "
                    + expected.config() + ".", "run `spike-agent doctor --config " + config
                    + "`, or point both at one file and re-run install.sh.");
        }
        return null;
    }

    static Finding judgeDryRun(Path script, CommandRunner.Result dryRun, Expected expected) {
        String invocation = script.getFileName() + " --config " + expected.config() + " --dry-run";
        if (!dryRun.ok()) {
            return Finding.fail(NAME, invocation + " failed (exit " + dryRun.exitCode() + "): " + dryRun.message(),
                    "fix what it says; the stop step cannot close the valve until its dry run succeeds.");
        }
        Map<String, String> values = keyValues(dryRun.stdout());
        String gpio = values.get("gpio");
        String activeLow = values.get("activeLow");
        String closedLevel = values.get("closedLevel");
        if (gpio == null || activeLow == null || closedLevel == null) {
            return Finding.fail(NAME, invocation + " printed no gpio=, activeLow= and closedLevel= lines: "
                    + dryRun.stdout().strip().replace('\n', ' '), REINSTALL);
        }
        String says = "gpio=" + gpio + " activeLow=" + activeLow + " closedLevel=" + closedLevel;
        String wants = "gpio=" + expected.gpio() + " activeLow=" + expected.activeLow() + " closedLevel="
                + expected.closedLevel();
        if (!says.equals(wants)) {
            return Finding.fail(NAME, "the stop step would close " + says + ", but " + expected.config()
                    + " says " + wants + ".", REINSTALL);
        }
        String chip = values.getOrDefault("chip", "");
        String command = values.getOrDefault("command", "?");
        return Finding.ok(NAME, "ExecStopPost runs " + script + " --config " + expected.config() + "; dry run: BCM "
                + gpio + " to " + closedLevel + " (" + (expected.activeLow() ? "active-low" : "active-high")
                + ") on " + (chip.isEmpty() ? "the line named GPIO" + gpio : chip) + ": " + command + ".");
    }

    static Map<String, String> keyValues(String output) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.putIfAbsent(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return values;
    }

    /** The value of {@code name VALUE} or {@code name=VALUE} in a command, or null. */
    static String option(List<String> command, String name) {
        for (int i = 1; i < command.size(); i++) {
            if (command.get(i).equals(name) && i + 1 < command.size()) {
                return command.get(i + 1);
            }
            if (command.get(i).startsWith(name + "=")) {
                return command.get(i).substring(name.length() + 1);
            }
        }
        return null;
    }

    /** Splits at blanks, keeping "double" or 'single' quoted words together, as systemd does for simple cases. */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : command.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
