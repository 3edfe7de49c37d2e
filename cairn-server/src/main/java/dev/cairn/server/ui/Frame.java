package dev.cairn.server.ui;

import java.util.List;

/**
 * What every page's layout needs: its title, which navigation section it belongs to, and who is looking.
 *
 * @param title   the page's own title (the layout appends "· Cairn")
 * @param section the navigation entry to mark as current, one of {@link #SECTIONS}' ids
 * @param user    the acting user, from the same place the API takes it ({@link dev.cairn.server.api.Actors}); null on a
 *                page anyone may see while nobody is logged in (the login form)
 * @param logout  the CSRF token of the logout form, when the user is logged in with a web UI session; else null (no
 *                login: nothing to log out of; Basic credentials: the browser, not Cairn, holds them)
 */
public record Frame(String title, String section, String user, String logout) {

    /** A frame without a logout form. */
    public Frame(String title, String section, String user) {
        this(title, section, user, null);
    }

    /** One entry of the main navigation. */
    public record Section(String id, String label, String href) {}

    public static final List<Section> SECTIONS = List.of(
            new Section("experiments", "Experiments", "/"),
            new Section("models", "Models", "/ui/models"),
            new Section("deployments", "Deployments", "/ui/deployments"),
            new Section("data", "Data", "/ui/data"),
            new Section("features", "Features", "/ui/features"),
            new Section("monitoring", "Monitoring", "/ui/monitoring"),
            new Section("pipelines", "Pipelines", "/ui/pipelines"),
            new Section("lineage", "Lineage", "/ui/lineage"));

    public List<Section> sections() {
        return SECTIONS;
    }
}
