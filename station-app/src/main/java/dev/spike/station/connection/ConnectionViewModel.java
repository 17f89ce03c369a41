package dev.spike.station.connection;

import dev.spike.model.InvalidFieldException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection indicator and the broker settings form.
 *
 * <p>Indicator: {@link #stateProperty()} (bind a pseudo-class to {@code state.kind()}), {@link #connectedProperty()}
 * and {@link #indicatorTextProperty()} ("connected to tcp://pi:1883", "reconnecting to ... (attempt 3): Connection
 * refused").
 *
 * <p>Form: four editable text properties, validated as they change; {@link #settingsErrorProperty()} names the
 * field and what is wrong ("uri must start with tcp:// or ssl://, was ..."), {@link #errorFieldProperty()} which
 * field ({@code uri}, {@code username}, {@code password}, {@code caFile}) so the view can mark it. {@link #connect()}
 * saves valid settings (owner-only file) and connects; {@link #disconnect()} disconnects.
 *
 * <p>All properties change on the UI executor only; call the methods on the UI thread.
 */
public final class ConnectionViewModel {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionViewModel.class);

    private final MqttGateway gateway;
    private final BrokerSettingsFile settingsFile;

    private final ReadOnlyObjectWrapper<ConnectionState> state = new ReadOnlyObjectWrapper<>(this, "state");
    private final ReadOnlyBooleanWrapper connected = new ReadOnlyBooleanWrapper(this, "connected");
    private final ReadOnlyStringWrapper indicatorText = new ReadOnlyStringWrapper(this, "indicatorText");

    private final StringProperty uri = new SimpleStringProperty(this, "uri", "tcp://localhost:1883");
    private final StringProperty username = new SimpleStringProperty(this, "username", "");
    private final StringProperty password = new SimpleStringProperty(this, "password", "");
    private final StringProperty caFile = new SimpleStringProperty(this, "caFile", "");
    private final ReadOnlyStringWrapper settingsError = new ReadOnlyStringWrapper(this, "settingsError", "");
    private final ReadOnlyStringWrapper errorField = new ReadOnlyStringWrapper(this, "errorField", "");
    private final ReadOnlyBooleanWrapper settingsValid = new ReadOnlyBooleanWrapper(this, "settingsValid");

    /**
     * @param gateway      the station's gateway
     * @param settingsFile where settings are loaded from (now) and saved to (on {@link #connect()})
     * @param ui           {@code Platform::runLater} in the app, {@code Runnable::run} in tests
     */
    public ConnectionViewModel(MqttGateway gateway, BrokerSettingsFile settingsFile, Executor ui) {
        this.gateway = gateway;
        this.settingsFile = settingsFile;
        showState(gateway.state());
        try {
            settingsFile.load().ifPresent(this::fill);
        } catch (InvalidFieldException | UncheckedIOException e) {
            LOG.warn("saved broker settings not used: {}", e.getMessage());
            settingsError.set(e.getMessage());
        }
        uri.addListener((observable, old, now) -> validate());
        username.addListener((observable, old, now) -> validate());
        password.addListener((observable, old, now) -> validate());
        caFile.addListener((observable, old, now) -> validate());
        if (settingsError.get().isEmpty()) {
            validate();
        }
        gateway.addStateListener(next -> ui.execute(() -> showState(next)));
    }

    /** True when settings were saved before: the app may then {@link #connect()} at start without asking. */
    public boolean hasSavedSettings() {
        try {
            return settingsFile.load().isPresent();
        } catch (InvalidFieldException | UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Validates the form, saves it and connects. Does nothing but show the error if the form is invalid.
     *
     * @return whether a connection attempt started
     */
    public boolean connect() {
        Optional<BrokerSettings> settings = validate();
        if (settings.isEmpty()) {
            return false;
        }
        try {
            settingsFile.save(settings.get());
        } catch (UncheckedIOException e) {
            // Connecting still helps; the person learns the settings will not survive a restart.
            LOG.error("{}", e.getMessage());
            settingsError.set(e.getMessage());
        }
        gateway.connect(settings.get()).whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.debug("first connection attempt failed: {}", error.toString());
            }
        });
        return true;
    }

    public void disconnect() {
        gateway.disconnect();
    }

    private Optional<BrokerSettings> validate() {
        try {
            BrokerSettings parsed = BrokerSettings.parse(uri.get(), username.get(), password.get(), caFile.get());
            settingsError.set("");
            errorField.set("");
            settingsValid.set(true);
            return Optional.of(parsed);
        } catch (InvalidFieldException e) {
            settingsError.set(e.getMessage());
            errorField.set(e.field());
            settingsValid.set(false);
            return Optional.empty();
        }
    }

    private void fill(BrokerSettings settings) {
        uri.set(settings.uri().toString());
        username.set(settings.username() == null ? "" : settings.username());
        password.set(settings.password() == null ? "" : settings.password());
        caFile.set(settings.caFile() == null ? "" : settings.caFile().toString());
    }

    private void showState(ConnectionState next) {
        state.set(next);
        connected.set(next.isConnected());
        indicatorText.set(next.text());
    }

    public ReadOnlyObjectProperty<ConnectionState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty connectedProperty() {
        return connected.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty indicatorTextProperty() {
        return indicatorText.getReadOnlyProperty();
    }

    /** {@code tcp://host[:port]} or {@code ssl://host[:port]}. */
    public StringProperty uriProperty() {
        return uri;
    }

    public StringProperty usernameProperty() {
        return username;
    }

    /** Bind to a PasswordField; never logged. */
    public StringProperty passwordProperty() {
        return password;
    }

    /** Path of a PEM CA file, for ssl:// only; empty for the system's CAs. */
    public StringProperty caFileProperty() {
        return caFile;
    }

    /** Empty while the form is valid. */
    public ReadOnlyStringProperty settingsErrorProperty() {
        return settingsError.getReadOnlyProperty();
    }

    /** The field the error is about ({@code uri}, {@code username}, {@code password}, {@code caFile}) or empty. */
    public ReadOnlyStringProperty errorFieldProperty() {
        return errorField.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty settingsValidProperty() {
        return settingsValid.getReadOnlyProperty();
    }
}
