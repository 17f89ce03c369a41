package dev.spike.station.ui;

import javafx.beans.value.ObservableBooleanValue;
import javafx.css.PseudoClass;
import javafx.scene.Node;

/** Keeps a pseudo-class of a node in step with a boolean: how a view shows state (style guide 14). */
public final class PseudoClasses {

    public static final PseudoClass DARK = PseudoClass.getPseudoClass("dark");

    private PseudoClasses() {
    }

    public static void bind(Node node, String pseudoClass, ObservableBooleanValue state) {
        PseudoClass pc = PseudoClass.getPseudoClass(pseudoClass);
        node.pseudoClassStateChanged(pc, state.get());
        state.addListener((o, was, now) -> node.pseudoClassStateChanged(pc, now));
        // a derived binding (count.greaterThan(0)) is only weakly held by what it observes: the node keeps it alive
        node.getProperties().put(PseudoClasses.class.getName() + ":" + pseudoClass, state);
    }
}
