package dev.spike.station.connection;

import dev.spike.station.ui.Themes;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.DialogPane;

/** Asks for the broker settings and connects: at the first start, and from the connection indicator. */
public final class BrokerDialog {

    static final ButtonType CONNECT = new ButtonType("Connect", ButtonBar.ButtonData.OK_DONE);
    static final ButtonType DISCONNECT = new ButtonType("Disconnect", ButtonBar.ButtonData.LEFT);

    private BrokerDialog() {
    }

    public static void show(Node owner, ConnectionViewModel connection) {
        BrokerView view = BrokerView.load();
        view.bind(connection);
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.setTitle("Broker");
        DialogPane pane = dialog.getDialogPane();
        pane.setId("broker-dialog");
        pane.setHeaderText("Where is your MQTT broker?");
        pane.setContent(view.root());
        pane.getButtonTypes().setAll(CONNECT, DISCONNECT, ButtonType.CANCEL);
        Themes.follow(pane, owner);
        if (owner != null && owner.getScene() != null) {
            dialog.initOwner(owner.getScene().getWindow());
        }
        Button connect = (Button) pane.lookupButton(CONNECT);
        connect.getStyleClass().add("primary");
        connect.disableProperty().bind(connection.settingsValidProperty().not());
        dialog.setOnShown(e -> view.firstField().requestFocus());
        dialog.showAndWait().ifPresent(button -> {
            if (button == CONNECT) {
                connection.connect();
            } else if (button == DISCONNECT) {
                connection.disconnect();
            }
        });
        view.unbind(connection);
    }
}
