package dev.spike.station.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javafx.scene.image.Image;

/**
 * The project's icons (copies of {@code icons/png}, see icons/README.md), loaded once from the classpath.
 */
public final class AppIcons {

    /** The sizes rendered for every icon. */
    static final int[] SIZES = {16, 24, 32, 48, 64, 128, 256};

    private static final Map<String, Image> CACHE = new ConcurrentHashMap<>();

    private AppIcons() {
    }

    /** The app icon in every size, for {@code Stage.getIcons()}: the window manager picks the best fit. */
    public static List<Image> window() {
        List<Image> icons = new ArrayList<>();
        for (int size : SIZES) {
            icons.add(get("spike", size));
        }
        return icons;
    }

    /** One icon: {@code get("online", 32)} is {@code icons/online-32.png}. */
    public static Image get(String name, int size) {
        return CACHE.computeIfAbsent(name + "-" + size + ".png", AppIcons::load);
    }

    private static Image load(String file) {
        String path = "/dev/spike/station/icons/" + file;
        try (InputStream in = AppIcons.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("icon " + path + " is missing from the classpath; copy icons/png/"
                        + " into station-app/src/main/resources/dev/spike/station/icons/");
            }
            return new Image(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read icon " + path + ": " + e.getMessage(), e);
        }
    }
}
