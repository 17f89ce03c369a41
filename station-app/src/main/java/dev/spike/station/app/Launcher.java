package dev.spike.station.app;

import javafx.application.Application;

/**
 * The station's main class. It does not extend {@code Application}: started from a plain classpath (a fat jar,
 * {@code java -cp}), the JDK refuses a main class that does, with "JavaFX runtime components are missing".
 *
 * <p>Arguments: {@code --demo} shows made-up agents without a broker; {@code --dark} starts in the dark theme.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        Application.launch(StationApp.class, args);
    }
}
