package io.logflow.connect.elasticsearch;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The names of one kind of document's indices: the daily indices {@code <prefix>-yyyy.MM.dd} (UTC days), the alias
 * {@code <prefix>} over all of them, the index template {@code <prefix>} that creates them, and which of them
 * retention deletes.
 *
 * @param prefix e.g. {@code logflow-logs}
 */
record IndexNames(String prefix) {
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("uuuu.MM.dd").withResolverStyle(ResolverStyle.STRICT);

    IndexNames {
        requireNonNull(prefix, "prefix");
    }

    /** The alias every daily index joins, for searching them all. */
    String alias() {
        return prefix;
    }

    /** The composable index template's name. */
    String template() {
        return prefix;
    }

    /** The pattern of the daily indices, the template's {@code index_patterns}. */
    String pattern() {
        return prefix + "-*";
    }

    /** The daily index of the UTC day that {@code epochMillis} falls in. */
    String daily(long epochMillis) {
        return daily(LocalDate.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC));
    }

    String daily(LocalDate day) {
        return prefix + "-" + DAY.format(day);
    }

    /** The day of one of our daily indices; empty for any other name (never deleted by retention). */
    Optional<LocalDate> day(String index) {
        if (!index.startsWith(prefix + "-")) return Optional.empty();
        String rest = index.substring(prefix.length() + 1);
        if (rest.length() != 10) return Optional.empty();
        try {
            return Optional.of(LocalDate.parse(rest, DAY));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The daily indices among {@code indices} whose whole day is more than {@code retentionDays} days before {@code
     * today}: every document in them is older than that, so the index goes whole. Today and the {@code
     * retentionDays} days before it are kept; 0 keeps everything. Names that are not ours are never in the result.
     */
    List<String> expired(Collection<String> indices, LocalDate today, int retentionDays) {
        if (retentionDays <= 0) return List.of();
        LocalDate oldestKept = today.minusDays(retentionDays);
        return indices.stream()
                .filter(name -> day(name).filter(d -> d.isBefore(oldestKept)).isPresent())
                .sorted()
                .toList();
    }
}
