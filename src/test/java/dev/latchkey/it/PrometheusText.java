package dev.latchkey.it;

/** Values read from {@code /metrics} (Prometheus text), for comparing two scrapes. */
final class PrometheusText {

    private PrometheusText() {
    }

    /** How much a series grew between two scrapes (a series missing from a scrape counts as 0). */
    static long delta(String before, String after, String name, String labels) {
        return Math.round(value(after, name, labels) - value(before, name, labels));
    }

    /**
     * The value of the series with exactly these labels, written as Prometheus orders them (by name) and without
     * Payara's {@code mp_scope}; 0 when there is none.
     */
    static double value(String text, String name, String labels) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String tags = line.contains("{") ? line.substring(line.indexOf('{') + 1, line.indexOf('}')) : "";
                String withoutScope = tags.replaceAll(",?mp_scope=\"[^\"]*\"", "").replaceAll("^,", "");
                if (withoutScope.equals(labels)) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return 0;
    }
}
