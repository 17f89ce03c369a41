package dev.spike.station.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import javafx.fxml.FXMLLoader;

/** Loads a view: {@code Dashboard.fxml} next to {@code DashboardView}, returning its controller. */
public final class Fxml {

    private Fxml() {
    }

    public static <T> T load(Class<T> controller, String fxml) {
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
        return controller.cast(loader.getController());
    }
}
