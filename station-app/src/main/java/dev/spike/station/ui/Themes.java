package dev.spike.station.ui;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.DialogPane;

/** Gives a dialog the stylesheets and theme of the window it belongs to. */
public final class Themes {

    private Themes() {
    }

    public static void follow(DialogPane pane, Node owner) {
        if (owner == null || owner.getScene() == null) {
            return;
        }
        Parent root = owner.getScene().getRoot();
        pane.getStylesheets().addAll(owner.getScene().getStylesheets());
        pane.getStylesheets().addAll(root.getStylesheets());
        // the dialog pane is not its scene's root: .themed carries the palette to it (see app.css)
        pane.getStyleClass().add("themed");
        pane.pseudoClassStateChanged(PseudoClasses.DARK, root.getPseudoClassStates().contains(PseudoClasses.DARK));
    }
}
