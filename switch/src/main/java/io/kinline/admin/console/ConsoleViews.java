package io.kinline.admin.console;

import static io.kinline.admin.console.Html.esc;

import io.kinline.admin.Principal;
import io.kinline.admin.http.StaffSession;

/**
 * The server-rendered HTML: the frame of every screen (navigation for the person's role, who is signed in,
 * sign-out, the anti-CSRF token in a meta tag) and each screen's labelled forms. Results are filled in by
 * {@code console.js} from the JSON API, which applies the role, facility and privileged-call rules.
 */
final class ConsoleViews {

    private ConsoleViews() {
    }

    static String signIn(String message, String username) {
        return head("Sign in", null) + """
                <body class="signin"><main id="main">
                <h1>Kinline staff console</h1>
                <form method="post" action="/console/login" class="card" id="signin">
                """ + (message == null ? "" : "<p class=\"error\" role=\"alert\" id=\"signin-error\">" + esc(message) + "</p>")
                + """
                <label for="username">Username</label>
                <input id="username" name="username" autocomplete="username" required maxlength="64" autofocus value="\
                """ + esc(username) + """
                ">
                <label for="password">Password</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256">
                <button type="submit" id="signin-submit">Sign in</button>
                </form></main></body></html>
                """;
    }

    static String page(ConsolePage page, StaffRole role, StaffSession s, String param) {
        Principal p = s.principal();
        StringBuilder b = new StringBuilder(4096);
        b.append(head(page.title, s.csrfToken()));
        b.append("<body data-page=\"").append(page.path).append("\" data-role=\"").append(role.wireName())
                .append("\" data-param=\"").append(esc(param)).append("\">\n")
                .append("<a class=\"skip\" href=\"#main\">Skip to content</a>\n<header><span class=\"brand\">Kinline</span>")
                .append("<nav aria-label=\"Screens\"><ul>");
        for (ConsolePage c : ConsolePage.values()) {
            if (c.inNav() && c.visibleTo(role, p.scoped())) {
                b.append("<li><a href=\"/console/").append(c.path).append('"')
                        .append(c == page ? " aria-current=\"page\"" : "").append('>').append(esc(c.title))
                        .append("</a></li>");
            }
        }
        b.append("</ul></nav><form method=\"post\" action=\"/console/logout\" class=\"who\">")
                .append("<span id=\"who\">").append(esc(p.name())).append(" · ").append(esc(role.wireName().replace('_', ' ')))
                .append(p.scoped() ? " · " + esc(String.join(", ", new java.util.TreeSet<>(p.facilities()))) : "")
                .append("</span><input type=\"hidden\" name=\"csrf\" value=\"").append(esc(s.csrfToken()))
                .append("\"><button type=\"submit\" id=\"signout\">Sign out</button></form></header>\n")
                .append("<main id=\"main\"><h1>").append(esc(page.title)).append(param == null ? "" : " " + esc(param))
                .append("</h1>\n<p id=\"status\" role=\"status\" aria-live=\"polite\"></p>\n")
                .append(body(page, role))
                .append("<div id=\"view\"></div></main></body></html>\n");
        return b.toString();
    }

    private static String body(ConsolePage page, StaffRole role) {
        return switch (page) {
            case LIVE -> """
                    <p><button type="button" id="refresh">Refresh</button> <span class="hint">Updates every 5 seconds.</span></p>
                    <section id="listener" hidden aria-label="Listening"><p>Listening to <span id="listen-call"></span>:
                    <span id="listen-frames">0</span> frames received. <button type="button" id="listen-stop">Stop listening</button></p></section>
                    """;
            case CALLS -> """
                    <form id="search" class="filters">
                    """ + field("inmate", "Inmate id", "text") + field("dialed", "Number dialled", "tel")
                    + field("btn", "BTN (billed number)", "tel") + field("facility", "Facility", "text")
                    + field("from", "From", "datetime-local") + field("to", "To", "datetime-local")
                    + """
                    <label for="f-outcome">Outcome</label><select id="f-outcome" name="outcome"><option value="">any</option>
                    <option>completed</option><option>cut_off</option><option>denied</option><option>refused</option>
                    <option>blocked_by_called_party</option><option>no_answer</option><option>busy</option><option>failed</option></select>
                    <button type="submit" id="search-submit">Search</button>
                    <button type="button" id="csv">Export CSV</button>
                    </form>
                    """ + (role == StaffRole.CUSTOMER_SERVICE ? "<p class=\"hint\">Customer service searches by BTN.</p>" : "")
                    + "<p><button type=\"button\" id=\"older\" hidden>Older calls</button></p>\n";
            case CALL -> "<section id=\"recording\" aria-label=\"Recording\"></section>\n";
            case INCIDENTS -> "<form id=\"search\" class=\"filters\">" + field("facility", "Facility", "text")
                    + field("inmate", "Inmate id", "text")
                    + "<button type=\"submit\">Show</button></form>\n";
            case BLOCKS -> """
                    <form id="search" class="filters">""" + field("number", "Number", "tel") + field("facility", "Facility", "text")
                    + """
                    <button type="submit">Show</button></form>
                    <h2>Add a block</h2>
                    <form id="add-block" class="filters">""" + field("add-number", "Number", "tel")
                    + """
                    <label for="add-type">Type</label><select id="add-type" name="type"><option>keypad</option>
                    <option>facility</option><option>security</option><option>no_contact</option><option>account</option></select>
                    """ + field("add-facility", "Facility (empty: every facility)", "text")
                    + field("add-note", "Note", "text") + """
                    <button type="submit" id="add-submit">Add block</button></form>
                    <h2>Active blocks</h2>
                    """;
            case ACCOUNTS -> "<form id=\"search\" class=\"filters\">" + field("btn", "Family number (BTN)", "tel")
                    + field("inmate", "or inmate id (debit)", "text")
                    + "<button type=\"submit\">Show</button></form>\n"
                    + (role == StaffRole.ADMIN || role == StaffRole.CUSTOMER_SERVICE ? """
                    <form id="deposit" class="filters" hidden><h2>Deposit</h2>""" + field("amount", "Amount", "text")
                    + field("reference", "Reference", "text")
                    + "<button type=\"submit\" id=\"deposit-submit\">Deposit</button></form>\n" : "");
            case INMATES -> "<form id=\"search\" class=\"filters\">" + field("facility", "Facility", "text")
                    + "<button type=\"submit\">Show</button></form>\n"
                    + (role == StaffRole.ADMIN || role == StaffRole.FACILITY_STAFF ? """
                    <h2>Change an inmate</h2><form id="edit-inmate" class="filters">""" + field("i-id", "Inmate id", "text")
                    + """
                    <label for="i-status">Status</label><select id="i-status" name="status"><option value="">unchanged</option>
                    <option>active</option><option>restricted</option><option>segregation</option></select>
                    """ + field("i-until", "Until (UTC)", "datetime-local") + field("i-housingUnit", "Housing unit", "text")
                    + field("i-pin", "New PIN", "password")
                    + "<button type=\"submit\" id=\"i-submit\">Save</button></form>\n" : "");
            case FACILITY -> "<form id=\"search\" class=\"filters\">" + field("facility", "Facility id", "text")
                    + "<button type=\"submit\">Open</button></form>\n"
                    + """
                    <form id="rules" class="filters" hidden><h2>Rules</h2>
                    """ + field("r-name", "Name", "text") + field("r-phoneHours.start", "Phone hours from (HH:mm)", "text")
                    + field("r-phoneHours.end", "to (HH:mm)", "text") + field("r-maxCallMinutes", "Longest call (minutes)", "number")
                    + field("r-callsPerDay", "Calls a day", "number") + field("r-cooldownSeconds", "Pause between calls (s)", "number")
                    + field("r-ratePerMinute", "Rate per minute", "text")
                    + """
                    <label for="r-threeWay">Three-way calls</label><select id="r-threeWay" name="threeWay"><option>flag</option>
                    <option>warn</option><option>disconnect</option></select>
                    <label for="r-identification">Callers key</label><select id="r-identification" name="identification">
                    <option value="pin">their PIN</option><option value="id_pin">their inmate number, then PIN</option></select>
                    <button type="submit" id="r-submit">Save rules</button></form>
                    <form id="add-station" class="filters" hidden><h2>Add a station</h2>
                    """ + field("st-id", "Station id (SIP user)", "text")
                    + """
                    <label for="st-kind">Kind</label><select id="st-kind" name="kind"><option>handset</option><option>tablet</option></select>
                    """ + field("st-housingUnit", "Housing unit", "text")
                    + "<button type=\"submit\" id=\"st-submit\">Add station</button></form><h2>Stations</h2>\n";
            case AUDIT -> "<form id=\"search\" class=\"filters\">" + field("actor", "Actor", "text")
                    + field("target", "Target", "text") + field("from", "From", "datetime-local")
                    + field("to", "To", "datetime-local") + "<button type=\"submit\">Show</button></form>\n";
            case STAFF -> """
                    <h2>Add a person</h2><form id="add-staff" class="filters">
                    """ + field("s-username", "Username", "text") + field("s-display", "Full name", "text")
                    + """
                    <label for="s-role">Role</label><select id="s-role" name="role"><option>investigator</option>
                    <option>customer_service</option><option>facility_staff</option><option>admin</option></select>
                    """ + field("s-facilities", "Facilities (comma-separated; empty: all)", "text")
                    + field("s-password", "Password (12 characters or more)", "password")
                    + "<button type=\"submit\" id=\"s-submit\">Add</button></form><h2>People</h2>\n";
        };
    }

    private static String field(String id, String label, String type) {
        String name = id.contains("-") ? id.substring(id.indexOf('-') + 1) : id;
        String fid = id.contains("-") ? id : "f-" + id;
        return "<label for=\"" + fid + "\">" + esc(label) + "</label><input id=\"" + fid + "\" name=\"" + name
                + "\" type=\"" + type + "\"" + ("password".equals(type) ? " autocomplete=\"new-password\"" : "")
                + ">\n";
    }

    private static String head(String title, String csrf) {
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + (csrf == null ? "" : "<meta name=\"csrf-token\" content=\"" + esc(csrf) + "\">")
                + "<title>" + esc(title) + " · Kinline</title>"
                + "<link rel=\"stylesheet\" href=\"/console/static/console.css\">"
                + (csrf == null ? "" : "<script src=\"/console/static/console.js\" defer></script>")
                + "</head>\n";
    }
}
