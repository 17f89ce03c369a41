package dev.spike.station.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionViewModelTest {

    private static final Executor UI = Runnable::run;

    @TempDir
    Path dir;

    private FakeGateway gateway;
    private BrokerSettingsFile file;
    private ConnectionViewModel vm;

    @BeforeEach
    void create() {
        gateway = new FakeGateway();
        file = BrokerSettingsFile.inDir(dir);
        vm = new ConnectionViewModel(gateway, file, UI);
    }

    @Test
    void startsDisconnectedWithADefaultBroker() {
        assertThat(vm.stateProperty().get().kind()).isEqualTo(ConnectionState.Kind.DISCONNECTED);
        assertThat(vm.connectedProperty().get()).isFalse();
        assertThat(vm.indicatorTextProperty().get()).isEqualTo("disconnected");
        assertThat(vm.uriProperty().get()).isEqualTo("tcp://localhost:1883");
        assertThat(vm.settingsValidProperty().get()).isTrue();
        assertThat(vm.hasSavedSettings()).isFalse();
    }

    @Test
    void connectSavesTheSettingsAndTheIndicatorFollowsTheConnection() {
        vm.uriProperty().set("tcp://pi.local");
        vm.usernameProperty().set("station");
        vm.passwordProperty().set("s3cr3t");

        assertThat(vm.connect()).isTrue();

        assertThat(vm.connectedProperty().get()).isTrue();
        assertThat(vm.indicatorTextProperty().get()).isEqualTo("connected to tcp://pi.local:1883");
        assertThat(file.load()).contains(BrokerSettings.parse("tcp://pi.local", "station", "s3cr3t", null));

        gateway.dropConnection(3);
        assertThat(vm.connectedProperty().get()).isFalse();
        assertThat(vm.stateProperty().get().attempt()).isEqualTo(3);
        assertThat(vm.indicatorTextProperty().get())
                .isEqualTo("reconnecting to tcp://pi.local:1883 (attempt 3): Connection refused");

        gateway.restoreConnection();
        assertThat(vm.connectedProperty().get()).isTrue();

        vm.disconnect();
        assertThat(vm.indicatorTextProperty().get()).isEqualTo("disconnected");
    }

    @Test
    void showsWhyTheBrokerRefused() {
        gateway.refuseNextConnect("bad user name or password; check the user name and password");

        vm.connect();

        assertThat(vm.stateProperty().get().kind()).isEqualTo(ConnectionState.Kind.REFUSED);
        assertThat(vm.indicatorTextProperty().get()).isEqualTo(
                "refused by tcp://localhost:1883: bad user name or password; check the user name and password");
    }

    @Test
    void validatesAsTheSettingsAreTypedAndDoesNotConnectWithBadOnes() {
        vm.uriProperty().set("mqtt://pi");

        assertThat(vm.settingsValidProperty().get()).isFalse();
        assertThat(vm.errorFieldProperty().get()).isEqualTo("uri");
        assertThat(vm.settingsErrorProperty().get())
                .isEqualTo("uri must start with tcp:// or ssl://, was \"mqtt://pi\"");
        assertThat(vm.connect()).isFalse();
        assertThat(gateway.state().kind()).isEqualTo(ConnectionState.Kind.DISCONNECTED);

        vm.uriProperty().set("tcp://pi");
        assertThat(vm.settingsErrorProperty().get()).isEmpty();
        assertThat(vm.errorFieldProperty().get()).isEmpty();
    }

    @Test
    void fillsTheFormFromSavedSettings() {
        file.save(BrokerSettings.parse("tcp://pi.local:1884", "station", "s3cr3t", null));

        ConnectionViewModel restarted = new ConnectionViewModel(new FakeGateway(), file, UI);

        assertThat(restarted.hasSavedSettings()).isTrue();
        assertThat(restarted.uriProperty().get()).isEqualTo("tcp://pi.local:1884");
        assertThat(restarted.usernameProperty().get()).isEqualTo("station");
        assertThat(restarted.passwordProperty().get()).isEqualTo("s3cr3t");
    }

    @Test
    void stateTextsNameTheBrokerAndTheReason() {
        assertThat(ConnectionState.connecting("tcp://pi:1883").text()).isEqualTo("connecting to tcp://pi:1883…");
        assertThat(ConnectionState.reconnecting("tcp://pi:1883", 2, null).text())
                .isEqualTo("reconnecting to tcp://pi:1883 (attempt 2)");
        assertThat(ConnectionState.connected("tcp://pi:1883").isConnected()).isTrue();
    }
}
