package dev.spike.agent.config;

import dev.spike.model.InvalidFieldException;
import dev.spike.model.Program;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code rules.program} key of agent.properties: periods separated by commas, each
 * {@code FROM-TO THRESHOLD% [COOLDOWNmin]}, such as {@code 22:00-07:00 85% 20min, 12:00-15:00 65%}. Empty or
 * {@code none} is no program.
 */
final class ProgramText {

    static final String KEY = "rules.program";
    static final String FORM = "periods like \"22:00-07:00 85% 20min, 12:00-15:00 65%\" (from-to, threshold %,"
            + " optional cooldown in min) or none";

    private static final Pattern PERIOD = Pattern.compile(
            "(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})\\s+(\\d+(?:\\.\\d+)?)\\s*%(?:\\s+(\\d+)\\s*min)?");
    private static final DateTimeFormatter H_MM = DateTimeFormatter.ofPattern("H:mm");

    private ProgramText() {
    }

    /**
     * The program the text describes.
     *
     * @throws InvalidFieldException naming {@value #KEY}, the period and what is wrong
     */
    static Program parse(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("none")) {
            return Program.NONE;
        }
        String[] parts = trimmed.split(",", -1);
        List<Program.Period> periods = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            String which = "period " + (i + 1) + " (\"" + part + "\")";
            Matcher m = PERIOD.matcher(part);
            if (!m.matches()) {
                throw new InvalidFieldException(KEY, which + " must be like 22:00-07:00 85% or 22:00-07:00 85% 20min;"
                        + " the key takes " + FORM);
            }
            try {
                periods.add(new Program.Period(time(m.group(1)), time(m.group(2)), Double.parseDouble(m.group(3)),
                        m.group(4) == null ? null : Integer.valueOf(m.group(4))));
            } catch (InvalidFieldException e) {
                throw new InvalidFieldException(KEY, which + ": " + e.getMessage());
            } catch (DateTimeException | NumberFormatException e) {
                throw new InvalidFieldException(KEY, which + ": times must be HH:mm from 00:00 to 23:59 and"
                        + " numbers whole, was " + e.getMessage());
            }
        }
        try {
            return new Program(periods);
        } catch (InvalidFieldException e) {
            throw new InvalidFieldException(KEY, e.getMessage() + " (program[0] is the first period)");
        }
    }

    private static LocalTime time(String text) {
        return LocalTime.parse(text, H_MM);
    }
}
