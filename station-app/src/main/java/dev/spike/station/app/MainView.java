package dev.spike.station.app;

import dev.spike.station.agents.AgentCell;
import dev.spike.station.agents.AgentItem;
import dev.spike.station.alarms.AlarmsView;
import dev.spike.station.chart.TimeRange;
import dev.spike.station.connection.BrokerDialog;
import dev.spike.station.connection.ConnectionState;
import dev.spike.station.dashboard.DashboardView;
import dev.spike.station.log.EventLogView;
import dev.spike.station.rules.RulesView;
import dev.spike.station.calibration.CalibrationView;
import dev.spike.station.simulation.SimulationView;
import dev.spike.station.ui.Fxml;
import dev.spike.station.ui.PseudoClasses;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import dev.spike.station.desktop.DesktopAlarms;
import dev.spike.station.desktop.DesktopAlerts;
import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.ObservableList;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * Controller of {@code Main.fxml}: the shell. Binds the top bar and the agent sidebar to the {@link StationContext}'s
 * ViewModels and hands each tab's view its feature ViewModel,
 * switches the theme, and installs the window's keyboard shortcuts:
 *
 * <ul>
 *   <li>Ctrl+Shift+S: spray now (asks first)</li>
 *   <li>Ctrl+1 … Ctrl+5: chart range 1 h, 6 h, 24 h, 7 d, 30 d</li>
 *   <li>Ctrl+T: light or dark theme</li>
 *   <li>Ctrl+Shift+A: the alarms tab</li>
 *   <li>Alt+T: the agent list; Alt+D: theme; Alt+S in the dashboard: spray; Ctrl+Tab: next tab</li>
 * </ul>
 */
public class MainView {

    private static final KeyCombination SPRAY = new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.SHIFT_DOWN);
    private static final KeyCombination THEME = new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination ALARMS = new KeyCodeCombination(KeyCode.A, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.SHIFT_DOWN);
    private static final KeyCode[] RANGE_KEYS = {KeyCode.DIGIT1, KeyCode.DIGIT2, KeyCode.DIGIT3, KeyCode.DIGIT4,
        KeyCode.DIGIT5};

    @FXML
    private BorderPane root;
    @FXML
    private Button connectionIndicator;
    private final Tooltip connectionTooltip = new Tooltip();
    @FXML
    private Button alarmBadge;
    @FXML
    private ToggleButton themeToggle;
    @FXML
    private ToggleButton notifyToggle;
    @FXML
    private Tooltip notifyTooltip;
    @FXML
    private ListView<AgentItem> agentList;
    @FXML
    private Label agentCount;
    @FXML
    private TabPane tabs;
    @FXML
    private Tab dashboardTab;
    @FXML
    private Tab alarmsTab;
    @FXML
    private Tab eventLogTab;
    @FXML
    private Tab rulesTab;
    @FXML
    private Tab calibrationTab;
    @FXML
    private Tab simulationTab;
    @FXML
    private DashboardView dashboardController;
    /** Set once the alarms tab is first shown (see {@link #buildOnFirstShow}). */
    private AlarmsView alarmsView;
    /** Each tab not built yet, with what builds it. */
    private final Map<Tab, Runnable> unbuilt = new HashMap<>();

    private final BooleanProperty dark = new SimpleBooleanProperty(this, "dark", false);
    private StationContext model;

    /** Loads {@code Main.fxml} with its included views; call {@link #bind} next. */
    public static MainView load() {
        return Fxml.load(MainView.class, "Main.fxml");
    }

    @FXML
    private void initialize() {
        agentList.setCellFactory(list -> new AgentCell());
        connectionIndicator.setTooltip(connectionTooltip);
        themeToggle.selectedProperty().bindBidirectional(dark);
        dark.addListener((o, was, now) -> root.pseudoClassStateChanged(PseudoClasses.DARK, now));
        root.sceneProperty().addListener((o, was, now) -> {
            if (now != null) {
                installAccelerators(now);
            }
        });
    }

    /** Shows {@code station}; call once. */
    public void bind(StationContext station) {
        this.model = station;
        ObservableList<AgentItem> agents = station.agents.agents();
        agentList.setItems(agents);
        agentCount.textProperty().bind(Bindings.createStringBinding(() -> agentsText(agents.size()), agents));
        agentList.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null) {
                station.agents.select(now.agentId());
            }
        });
        station.selected.agentIdProperty().addListener((o, was, now) -> selectInList(now));
        agents.addListener((ListChangeListener<AgentItem>) c -> selectInList(station.selected.agentId()));
        selectInList(station.selected.agentId());

        showConnection(station.connection.stateProperty().get());
        station.connection.stateProperty().addListener((o, was, now) -> showConnection(now));

        ReadOnlyIntegerProperty unacknowledged = station.alarms.unacknowledgedCountProperty();
        alarmBadge.textProperty().bind(unacknowledged.asString());
        PseudoClasses.bind(alarmBadge, "active", unacknowledged.greaterThan(0));
        alarmsTab.textProperty().bind(Bindings.createStringBinding(() -> {
            int count = unacknowledged.get();
            return count == 0 ? "Alarms" : "Alarms (" + count + ")";
        }, unacknowledged));

        dashboardController.bind(station.dashboard, station.spray, station.chart);
        dashboardController.water().bind(station.water);
        buildOnFirstShow(alarmsTab, AlarmsView.class, "Alarms.fxml", view -> {
            view.bind(station.alarms);
            alarmsView = view;
        });
        buildOnFirstShow(eventLogTab, EventLogView.class, "EventLog.fxml", view -> view.bind(station.log));
        buildOnFirstShow(rulesTab, RulesView.class, "Rules.fxml", view -> {
            view.bind(station.rules);
            view.bindWhatIf(station.whatIf);
        });
        buildOnFirstShow(calibrationTab, CalibrationView.class, "Calibration.fxml",
                view -> view.bind(station.calibration));
        buildOnFirstShow(simulationTab, SimulationView.class, "Simulation.fxml", view -> view.bind(station.simulation));
        tabs.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> build(now));
        bindDesktopAlarms(station.desktop);
        showSimulationTab(station.simulation.simulatedProperty().get());
        station.simulation.simulatedProperty().addListener((o, was, now) -> showSimulationTab(now));
    }

    /**
     * The tab's view is loaded from {@code fxml} next to {@code type} and bound the first time the tab is selected:
     * a window opens with the dashboard only, and each other tab costs its FXML, skins and CSS when first asked for
     * (docs/performance.md, "The demo's start").
     */
    private <T> void buildOnFirstShow(Tab tab, Class<T> type, String fxml, Consumer<T> bind) {
        unbuilt.put(tab, () -> {
            Fxml.View<T> view = Fxml.loadView(type, fxml);
            bind.accept(view.controller());
            tab.setContent(view.root());
        });
    }

    private void build(Tab tab) {
        Runnable builder = unbuilt.remove(tab);
        if (builder != null) {
            builder.run();
        }
    }

    private void bindDesktopAlarms(DesktopAlarms desktop) {
        notifyToggle.selectedProperty().bindBidirectional(desktop.enabledProperty());
        notifyTooltip.textProperty().bind(Bindings.createStringBinding(() -> (notifyToggle.isSelected()
                ? "New alarms show as desktop notifications while this window is in the background"
                : "Desktop notifications are off") + " · via " + desktop.serviceProperty().get(),
                notifyToggle.selectedProperty(), desktop.serviceProperty()));
        root.sceneProperty().addListener((o, was, scene) -> {
            if (scene != null) {
                scene.windowProperty().addListener((p, before, window) -> followWindow(window, desktop));
                followWindow(scene.getWindow(), desktop);
            }
        });
        desktop.clickedProperty().addListener((o, was, notice) -> {
            if (notice != null) {
                showAlarm(notice.alarmId());
            }
        });
    }

    private void followWindow(Window window, DesktopAlarms desktop) {
        if (!(window instanceof Stage)) {
            return;
        }
        Stage stage = (Stage) window;
        InvalidationListener update = o -> desktop.windowProperty().set(
                stage.isFocused() && !stage.isIconified() ? DesktopAlerts.Window.IN_FRONT : DesktopAlerts.Window.AWAY);
        stage.focusedProperty().addListener(update);
        stage.iconifiedProperty().addListener(update);
        update.invalidated(null);
    }

    /**
     * Brings the window to the front with the alarm list, the alarm with {@code alarmId} selected (any, for a notice
     * about several alarms, whose id is 0).
     */
    public void showAlarm(long alarmId) {
        Window window = root.getScene() == null ? null : root.getScene().getWindow();
        if (window instanceof Stage) {
            Stage stage = (Stage) window;
            stage.setIconified(false);
            stage.show();
            stage.toFront();
            stage.requestFocus();
        }
        tabs.getSelectionModel().select(alarmsTab);
        alarmsView.select(alarmId);
    }

    public BorderPane root() {
        return root;
    }

    /** The theme: false light, true dark (pseudo-class {@code :dark} on the root). */
    public BooleanProperty darkProperty() {
        return dark;
    }

    public DashboardView dashboard() {
        return dashboardController;
    }

    public TabPane tabs() {
        return tabs;
    }

    /** Opens the broker settings. */
    @FXML
    public void editConnection() {
        if (model != null) {
            BrokerDialog.show(root, model.connection);
        }
    }

    @FXML
    private void showAlarms() {
        tabs.getSelectionModel().select(alarmsTab);
    }

    private void installAccelerators(Scene scene) {
        scene.getAccelerators().put(SPRAY, () -> {
            tabs.getSelectionModel().select(dashboardTab);
            dashboardController.spray().requestSpray();
        });
        scene.getAccelerators().put(THEME, () -> dark.set(!dark.get()));
        scene.getAccelerators().put(ALARMS, this::showAlarms);
        TimeRange[] ranges = TimeRange.values();
        for (int i = 0; i < ranges.length; i++) {
            TimeRange range = ranges[i];
            scene.getAccelerators().put(new KeyCodeCombination(RANGE_KEYS[i], KeyCombination.SHORTCUT_DOWN), () -> {
                tabs.getSelectionModel().select(dashboardTab);
                dashboardController.chart().showRange(range);
            });
        }
    }

    private void selectInList(String agentId) {
        AgentItem selected = agentList.getSelectionModel().getSelectedItem();
        if (agentId == null || selected != null && selected.agentId().equals(agentId)) {
            return;
        }
        for (AgentItem item : agentList.getItems()) {
            if (item.agentId().equals(agentId)) {
                agentList.getSelectionModel().select(item);
                return;
            }
        }
    }

    private void showConnection(ConnectionState state) {
        for (ConnectionState.Kind kind : ConnectionState.Kind.values()) {
            connectionIndicator.pseudoClassStateChanged(
                    PseudoClass.getPseudoClass(kind.name().toLowerCase(Locale.ROOT)),
                    state != null && state.kind() == kind);
        }
        connectionIndicator.setText(shortText(state));
        connectionTooltip.setText((state == null ? "not connected" : state.text())
                + " · click for the broker settings");
    }

    private void showSimulationTab(boolean available) {
        if (available && !tabs.getTabs().contains(simulationTab)) {
            tabs.getTabs().add(simulationTab);
        } else if (!available) {
            tabs.getTabs().remove(simulationTab);
        }
    }

    /** The indicator's words: "Connected", "Reconnecting (attempt 3)", "Refused: not authorized". */
    static String shortText(ConnectionState state) {
        if (state == null) {
            return "Disconnected";
        }
        switch (state.kind()) {
            case CONNECTED:
                return "Connected";
            case CONNECTING:
                return "Connecting…";
            case RECONNECTING:
                return "Reconnecting (attempt " + state.attempt() + ")";
            case REFUSED:
                return "Refused: " + state.reason();
            case DISCONNECTED:
            default:
                return "Disconnected";
        }
    }

    private static String agentsText(int count) {
        return count == 1 ? "1 agent" : count + " agents";
    }
}
