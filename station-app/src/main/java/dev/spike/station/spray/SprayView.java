package dev.spike.station.spray;

import dev.spike.station.ui.PseudoClasses;
import java.util.Locale;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;

/**
 * Controller of {@code Spray.fxml}: binds {@link SprayViewModel} and delegates. The button is disabled with the
 * ViewModel's reason under it; a spray asks first ({@link SprayDialog}), then its progress is shown in place:
 * pending, accepted or rejected with the agent's reason, open with a countdown, done. The progress label carries
 * the state as a pseudo-class ({@code :rejected}, {@code :open}).
 */
public class SprayView {

    @FXML
    private VBox root;
    @FXML
    private Label progress;
    @FXML
    private Button sprayButton;
    @FXML
    private Tooltip sprayTooltip;
    @FXML
    private Label whyNot;

    private SprayViewModel model;

    public void bind(SprayViewModel spray) {
        this.model = spray;
        sprayButton.disableProperty().bind(spray.canSprayProperty().not());
        whyNot.textProperty().bind(spray.whyNotProperty());
        progress.textProperty().bind(spray.progressTextProperty());
        for (Label label : new Label[] {progress, whyNot}) {
            label.managedProperty().bind(label.textProperty().isNotEmpty());
            label.visibleProperty().bind(label.textProperty().isNotEmpty());
        }
        showProgress(spray.progressProperty().get());
        spray.progressProperty().addListener((o, was, now) -> showProgress(now));
        PseudoClasses.bind(root, "busy", spray.canSprayProperty().not());
    }

    private void showProgress(SprayProgress state) {
        for (SprayProgress each : SprayProgress.values()) {
            progress.pseudoClassStateChanged(PseudoClass.getPseudoClass(each.name().toLowerCase(Locale.ROOT)),
                    each == state);
        }
    }

    public VBox root() {
        return root;
    }

    @FXML
    private void spray() {
        requestSpray();
    }

    /** Asks "spray terrarium-1 for 6 s?" and sends the spray if the person confirms; nothing while not allowed. */
    public void requestSpray() {
        if (model == null || !model.canSprayProperty().get()) {
            return;
        }
        SprayDialog.ask(root, model.agentIdProperty().get(), model.durationSProperty().get(),
                model.maxDurationSProperty().get()).ifPresent(seconds -> {
                    model.durationSProperty().set(seconds);
                    model.spray();
                });
    }
}
