package io.rollcall.scim;

import java.util.ArrayDeque;
import java.util.Deque;

import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.filters.CombiningFilter;
import com.unboundid.scim2.common.filters.Filter;

/**
 * Bounds on a client's filter, checked once it is parsed and before anything walks it. Translating and evaluating a
 * filter recurse over it, and PostgreSQL plans every comparison: a filter nested 5,000 levels deep overflowed the
 * stack (a 500), and one of 20,000 comparisons kept a core busy for 28 s. Parsing itself grows faster than the text
 * (a 2 MB filter took 14 s), so the text is bounded before it is parsed. Identity providers send a few comparisons,
 * nested once or twice. The parsed filter is walked here without recursion, so that checking is safe whatever the
 * client sent.
 */
final class FilterLimits {

    /** Levels of {@code and}/{@code or}/{@code not}/value-path nesting. */
    static final int MAX_DEPTH = 32;

    /** Comparisons ({@code eq}, {@code pr}, ...) in one filter. */
    static final int MAX_COMPARISONS = 1_000;

    /** Characters of a filter, or of a path with a value filter, before it is parsed. */
    static final int MAX_LENGTH = 100_000;

    private FilterLimits() {
    }

    /** The text, if short enough to parse; else 400 with {@code scimType} saying what {@code what} is. */
    static String checkLength(String text, String what, String scimType) throws BadRequestException {
        if (text != null && text.length() > MAX_LENGTH) {
            throw new BadRequestException("The " + what + " has " + text.length() + " characters; at most " + MAX_LENGTH
                    + " are accepted", scimType);
        }
        return text;
    }

    /**
     * The text of a filter or path, checked before the SDK parses it, which forgives what a strict reading refuses: an
     * unterminated value path ({@code emails[type eq "work"}), a trailing NUL, redundant parentheses nested past
     * {@link #MAX_DEPTH} (it drops them). Control characters are refused anywhere (a JSON string cannot hold them raw);
     * brackets and parentheses outside quoted values must pair up.
     *
     * @param scimType {@code invalidFilter} for a filter, {@code invalidPath} for a PATCH path
     */
    static String checkSyntax(String text, String what, String scimType) throws BadRequestException {
        String named = what + " '" + (text.length() <= 200 ? text : text.substring(0, 200) + "…").replaceAll("\\p{Cntrl}",
                "\uFFFD") + "'";
        Deque<Character> open = new ArrayDeque<>();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new BadRequestException("The " + named + " holds the control character U+" + String.format("%04X",
                        (int) c) + " at position " + i + "; remove it", scimType);
            }
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> quoted = true;
                case '(', '[' -> {
                    open.push(c);
                    if (open.size() > MAX_DEPTH) {
                        throw new BadRequestException("The " + what + " nests more than " + MAX_DEPTH + " levels of "
                                + "parentheses and brackets; flatten it", scimType);
                    }
                }
                case ')', ']' -> {
                    char expected = c == ')' ? '(' : '[';
                    if (open.isEmpty() || open.pop() != expected) {
                        throw new BadRequestException("The " + named + " has a '" + c + "' at position " + i
                                + " that closes nothing", scimType);
                    }
                }
                default -> {
                }
            }
        }
        if (quoted) {
            throw new BadRequestException("The " + named + " ends inside a quoted value; close it with '\"'", scimType);
        }
        if (!open.isEmpty()) {
            throw new BadRequestException("The " + named + " leaves a '" + open.peek() + "' unclosed; close it with '"
                    + (open.peek() == '(' ? ')' : ']') + "'", scimType);
        }
        return text;
    }

    /** The filter, if within bounds; else 400 {@code invalidFilter} saying which bound it passes. */
    static Filter check(Filter filter) throws BadRequestException {
        record Node(Filter filter, int depth) {
        }
        Deque<Node> pending = new ArrayDeque<>();
        pending.push(new Node(filter, 1));
        int comparisons = 0;
        while (!pending.isEmpty()) {
            Node node = pending.pop();
            if (node.depth() > MAX_DEPTH) {
                throw BadRequestException.invalidFilter("The filter nests more than " + MAX_DEPTH + " levels of "
                        + "and/or/not/[...]; flatten it");
            }
            Filter current = node.filter();
            if (current instanceof CombiningFilter combining) {
                combining.getCombinedFilters().forEach(part -> pending.push(new Node(part, node.depth() + 1)));
            } else if (current.isNotFilter()) {
                pending.push(new Node(current.getInvertedFilter(), node.depth() + 1));
            } else if (current.isComplexValueFilter()) {
                pending.push(new Node(current.getValueFilter(), node.depth() + 1));
            } else if (++comparisons > MAX_COMPARISONS) {
                throw BadRequestException.invalidFilter("The filter has more than " + MAX_COMPARISONS + " comparisons; "
                        + "split it into several requests");
            }
        }
        return filter;
    }

    /** The value filters of a path ({@code members[value eq "…"]}), each within bounds. */
    static Path check(Path path) throws BadRequestException {
        if (path != null) {
            for (int i = 0; i < path.size(); i++) {
                if (path.getElement(i).getValueFilter() != null) {
                    check(path.getElement(i).getValueFilter());
                }
            }
        }
        return path;
    }
}
