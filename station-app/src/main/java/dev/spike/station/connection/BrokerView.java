package dev.spike.station.connection;

import dev.spike.station.ui.Fxml;
import dev.spike.station.ui.PseudoClasses;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;

/**
 * Controller of {@code Broker.fxml}: the broker settings form, bound to the {@link ConnectionViewModel}, which
 * validates as the person types and names the field that is wrong.
 */
public class BrokerView {

    @FXML
    private VBox root;
    @FXML
    private TextField uri;
    @FXML
    private TextField username;
    @FXML
    private PasswordField password;
    @FXML
    private TextField caFile;
    @FXML
    private Label error;
    @FXML
    private Label state;

    static BrokerView load() {
        return Fxml.load(BrokerView.class, "Broker.fxml");
    }

    void bind(ConnectionViewModel connection) {
        uri.textProperty().bindBidirectional(connection.uriProperty());
        username.textProperty().bindBidirectional(connection.usernameProperty());
        password.textProperty().bindBidirectional(connection.passwordProperty());
        caFile.textProperty().bindBidirectional(connection.caFileProperty());
        error.textProperty().bind(connection.settingsErrorProperty());
        state.textProperty().bind(connection.indicatorTextProperty());
        for (TextField field : new TextField[] {uri, username, password, caFile}) {
            PseudoClasses.bind(field, "error", connection.errorFieldProperty().isEqualTo(field.getId()));
        }
    }

    /** Unbinds, so a closed dialog does not keep editing the ViewModel's properties. */
    void unbind(ConnectionViewModel connection) {
        uri.textProperty().unbindBidirectional(connection.uriProperty());
        username.textProperty().unbindBidirectional(connection.usernameProperty());
        password.textProperty().unbindBidirectional(connection.passwordProperty());
        caFile.textProperty().unbindBidirectional(connection.caFileProperty());
    }

    VBox root() {
        return root;
    }

    TextField firstField() {
        return uri;
    }
}
