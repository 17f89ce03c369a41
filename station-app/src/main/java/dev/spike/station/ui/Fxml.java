package dev.spike.station.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import javafx.fxml.FXMLLoader;
import javafx.scene.Node;

/** Loads a view: {@code Dashboard.fxml} next to {@code DashboardView}, returning its controller. */
public final class Fxml {

    private Fxml() {
    }

    public static <T> T load(Class<T> controller, String fxml) {
        return loadView(controller, fxml).controller();
    }

    /** A loaded view: its root node and its controller. */
    public record View<T>(Node root, T controller) {
    }

    /** Loads {@code fxml} next to {@code controller}, for a caller that places its root node itself. */
    public static <T> View<T> loadView(Class<T> controller, String fxml) {
        URL url = controller.getResource(fxml);
        if (url == null) {
            throw new IllegalStateException(fxml + " is missing next to " + controller.getName()
                    + " on the classpath; the station jar is incomplete, rebuild it");
        }
        FXMLLoader loader = new FXMLLoader(url);
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + url + ": " + e.getMessage(), e);
        }
        return new View<>(loader.getRoot(), controller.cast(loader.getController()));
    }
}
