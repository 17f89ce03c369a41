package dev.spike.station.spray;

import dev.spike.station.ui.Themes;
import java.util.Optional;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The confirmation before a manual spray: which agent, for how long (1 s up to the rules' maximum). Opening a valve
 * over a living animal is never one stray click or key press away.
 */
public final class SprayDialog {

    static final ButtonType SPRAY = new ButtonType("Spray", ButtonBar.ButtonData.OK_DONE);

    private SprayDialog() {
    }

    /** The chosen duration in seconds, or empty when the person cancelled. */
    public static Optional<Integer> ask(Node owner, String agentId, int proposedS, int maxS) {
        int max = Math.max(1, maxS);
        Spinner<Integer> seconds = new Spinner<>(1, max, Math.min(Math.max(1, proposedS), max));
        seconds.setEditable(true);
        seconds.setId("spray-seconds");
        seconds.setPrefWidth(110);
        Label unit = new Label("seconds (at most " + max + ")");
        Label question = new Label("Open the valve of " + agentId + " now?");
        question.getStyleClass().add("dialog-question");
        Label secondsLabel = new Label("_Duration");
        secondsLabel.setMnemonicParsing(true);
        secondsLabel.setLabelFor(seconds);
        HBox duration = new HBox(10, secondsLabel, seconds, unit);
        duration.getStyleClass().add("dialog-row");
        VBox content = new VBox(14, question, duration);

        Dialog<Integer> dialog = new Dialog<>();
        dialog.setTitle("Spray now");
        DialogPane pane = dialog.getDialogPane();
        pane.setId("spray-dialog");
        pane.setHeaderText("Manual spray");
        pane.setContent(content);
        pane.getButtonTypes().setAll(SPRAY, ButtonType.CANCEL);
        Themes.follow(pane, owner);
        if (owner.getScene() != null) {
            dialog.initOwner(owner.getScene().getWindow());
        }
        Button spray = (Button) pane.lookupButton(SPRAY);
        spray.getStyleClass().add("primary");
        spray.setId("confirm-spray");
        pane.lookupButton(ButtonType.CANCEL).setId("cancel-spray");
        dialog.setResultConverter(button -> button == SPRAY ? seconds.getValue() : null);
        dialog.setOnShown(e -> seconds.requestFocus());
        return dialog.showAndWait();
    }
}
