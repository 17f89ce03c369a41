package dev.spike.station.agents;

import dev.spike.station.ui.AppIcons;
import javafx.beans.InvalidationListener;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * One agent in the sidebar, bound to its {@link AgentItem}: a status icon (online, offline, sensor down, alarm), its
 * name and a summary line. Pseudo-classes {@code :offline} and {@code :alarm} on {@code .agent-cell}.
 */
public final class AgentCell extends ListCell<AgentItem> {

    private static final PseudoClass OFFLINE = PseudoClass.getPseudoClass("offline");
    private static final PseudoClass ALARM = PseudoClass.getPseudoClass("alarm");

    private final ImageView icon = new ImageView();
    private final Label name = new Label();
    private final Label tag = new Label("SIM");
    private final Label summary = new Label();
    private final HBox box;
    private final InvalidationListener changed = o -> show();
    private AgentItem shown;

    public AgentCell() {
        icon.setFitWidth(28);
        icon.setFitHeight(28);
        name.getStyleClass().add("agent-name");
        tag.getStyleClass().add("agent-tag");
        summary.getStyleClass().add("agent-summary");
        HBox title = new HBox(6, name, tag);
        title.getStyleClass().add("agent-title-line");
        VBox text = new VBox(2, title, summary);
        box = new HBox(icon, text);
        box.getStyleClass().add("agent-cell");
        // a long agent id is cut with an ellipsis, the SIM tag stays whole, and the list never scrolls sideways
        name.setMinWidth(0);
        tag.setMinWidth(Region.USE_PREF_SIZE);
        setPrefWidth(0);
    }

    @Override
    protected void updateItem(AgentItem item, boolean empty) {
        super.updateItem(item, empty);
        setText(null);
        if (shown != null) {
            shown.presenceProperty().removeListener(changed);
            shown.simulatedProperty().removeListener(changed);
            shown.summaryTextProperty().removeListener(changed);
            shown.sensorDownProperty().removeListener(changed);
            shown.activeAlarmsProperty().removeListener(changed);
        }
        shown = empty ? null : item;
        if (shown != null) {
            shown.presenceProperty().addListener(changed);
            shown.simulatedProperty().addListener(changed);
            shown.summaryTextProperty().addListener(changed);
            shown.sensorDownProperty().addListener(changed);
            shown.activeAlarmsProperty().addListener(changed);
        }
        show();
    }

    private void show() {
        AgentItem item = shown;
        if (item == null) {
            setGraphic(null);
            setAccessibleText(null);
            return;
        }
        boolean online = item.presenceProperty().get().reachable();
        name.setText(item.agentId());
        tag.setVisible(item.simulatedProperty().get());
        tag.setManaged(item.simulatedProperty().get());
        summary.setText(item.summaryTextProperty().get());
        icon.setImage(AppIcons.get(iconName(item), 32));
        box.pseudoClassStateChanged(OFFLINE, !online);
        box.pseudoClassStateChanged(ALARM, item.activeAlarmsProperty().get() > 0);
        setGraphic(box);
        setAccessibleText(item.agentId() + ", " + (online ? "online" : "offline") + ", "
                + item.summaryTextProperty().get());
    }

    /** Offline says most, then a dead sensor, then an alarm. */
    static String iconName(AgentItem item) {
        if (!item.presenceProperty().get().reachable()) {
            return "offline";
        }
        if (item.sensorDownProperty().get()) {
            return "sensor-down";
        }
        if (item.activeAlarmsProperty().get() > 0) {
            return "alarm";
        }
        return "online";
    }
}
