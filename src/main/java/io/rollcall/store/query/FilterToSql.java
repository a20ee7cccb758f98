package io.rollcall.store.query;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ValueNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.AndFilter;
import com.unboundid.scim2.common.filters.ComparisonFilter;
import com.unboundid.scim2.common.filters.ComplexValueFilter;
import com.unboundid.scim2.common.filters.ContainsFilter;
import com.unboundid.scim2.common.filters.EndsWithFilter;
import com.unboundid.scim2.common.filters.EqualFilter;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterVisitor;
import com.unboundid.scim2.common.filters.GreaterThanFilter;
import com.unboundid.scim2.common.filters.GreaterThanOrEqualFilter;
import com.unboundid.scim2.common.filters.LessThanFilter;
import com.unboundid.scim2.common.filters.LessThanOrEqualFilter;
import com.unboundid.scim2.common.filters.NotEqualFilter;
import com.unboundid.scim2.common.filters.NotFilter;
import com.unboundid.scim2.common.filters.OrFilter;
import com.unboundid.scim2.common.filters.PresentFilter;
import com.unboundid.scim2.common.filters.StartsWithFilter;
import com.unboundid.scim2.common.types.AttributeDefinition;

import io.rollcall.resource.AttributeResolver;
import io.rollcall.resource.Ids;
import io.rollcall.resource.ResolvedAttribute;

/**
 * Translates a SCIM filter (RFC 7644 §3.4.2.2), parsed by the UnboundID SDK, into one parameterised PostgreSQL
 * condition over a {@link ResourceTable}: attributes with their own column compare on the column (so the IdPs' matching
 * lookups use indexes), the rest on the JSONB document; multi-valued attributes become {@code EXISTS} over their
 * elements, and a value path ({@code emails[type eq "work" and value co "@acme.com"]}) evaluates its whole inner filter
 * against one element. {@code caseExact=false} attributes compare lower-cased; {@code co}/{@code sw}/{@code ew} escape
 * {@code %}, {@code _} and {@code \}. Whatever cannot be expressed is a 400 {@code invalidFilter} naming the problem.
 */
public final class FilterToSql implements FilterVisitor<String, FilterToSql.Scope> {

    /**
     * Where attribute names are looked up: the resource itself, or one element of a multi-valued complex attribute
     * (inside a value path), bound to {@code element}.
     */
    record Scope(ResolvedAttribute multiValued, String element, ResourceTable.Relation relation) {
        static final Scope RESOURCE = new Scope(null, null, null);

        boolean inElement() {
            return element != null;
        }
    }

    private enum Operator {
        EQ("="), NE("<>"), CO(null), SW(null), EW(null), GT(">"), GE(">="), LT("<"), LE("<="), PR(null);

        final String sql;

        Operator(String sql) {
            this.sql = sql;
        }

        boolean ordering() {
            return this == GT || this == GE || this == LT || this == LE;
        }

        boolean substring() {
            return this == CO || this == SW || this == EW;
        }
    }

    private final ResourceTable table;
    private final AttributeResolver resolver;
    /** Across resource types: the schemas of every type searched; null when searching this one only. */
    private final List<? extends AttributeResolver> searched;
    private final List<Object> parameters = new ArrayList<>();
    private final int firstParameter;
    private int elementAliases;

    private FilterToSql(ResourceTable table, AttributeResolver resolver, List<? extends AttributeResolver> searched,
            int firstParameter) {
        this.table = table;
        this.resolver = resolver;
        this.searched = searched;
        this.firstParameter = firstParameter;
    }

    /**
     * @param firstParameter the number of the first {@code $n} placeholder (statements often bind the organization as $1)
     */
    public static SqlFragment translate(Filter filter, ResourceTable table, AttributeResolver resolver, int firstParameter)
            throws ScimException {
        return translate(new FilterToSql(table, resolver, null, firstParameter), filter);
    }

    /**
     * For a search across resource types (RFC 7644 §3.4.2): an attribute this type's schemas lack but another
     * searched type has is treated as having no value here (so {@code pr} and {@code eq} are false, {@code ne} true);
     * one that no searched type has is still a 400 {@code invalidFilter}.
     *
     * @param searched the schemas of every resource type searched, this one included
     */
    public static SqlFragment translateAcrossTypes(Filter filter, ResourceTable table, AttributeResolver resolver,
            List<? extends AttributeResolver> searched, int firstParameter) throws ScimException {
        return translate(new FilterToSql(table, resolver, List.copyOf(searched), firstParameter), filter);
    }

    private static SqlFragment translate(FilterToSql translator, Filter filter) throws ScimException {
        try {
            String sql = filter.visit(translator, Scope.RESOURCE);
            return new SqlFragment(sql, translator.parameters);
        } catch (InvalidFilter e) {
            throw e.scimException();
        }
    }

    @Override
    public String visit(AndFilter filter, Scope scope) throws ScimException {
        return combine(filter.getCombinedFilters(), " AND ", scope);
    }

    @Override
    public String visit(OrFilter filter, Scope scope) throws ScimException {
        return combine(filter.getCombinedFilters(), " OR ", scope);
    }

    @Override
    public String visit(NotFilter filter, Scope scope) throws ScimException {
        // a comparison on an absent value is NULL in SQL; in SCIM it is false, so its negation is true
        return "NOT COALESCE((" + filter.getInvertedFilter().visit(this, scope) + "), false)";
    }

    @Override
    public String visit(ComplexValueFilter filter, Scope scope) throws ScimException {
        if (scope.inElement()) {
            throw BadRequestException.invalidFilter("Value filters cannot be nested: " + filter);
        }
        ResolvedAttribute attribute = resolve(filter.getAttributePath());
        if (attribute == null) {
            return "false";
        }
        if (!attribute.attribute().isMultiValued() || attribute.attribute().getType() != AttributeDefinition.Type.COMPLEX
                || attribute.subAttribute() != null) {
            throw BadRequestException.invalidFilter("'" + attribute.display() + "' is not a multi-valued complex "
                    + "attribute, so it cannot take a value filter [...]");
        }
        // value eq on an indexed sub-attribute: the index answers it (alone, or as a pre-filter of the full condition)
        List<String> indexed = new ArrayList<>();
        Filter valueFilter = filter.getValueFilter();
        for (Filter conjunct : valueFilter instanceof AndFilter and ? and.getCombinedFilters() : List.of(valueFilter)) {
            indexedEquality(attribute, conjunct).ifPresent(indexed::add);
        }
        if (indexed.size() == 1 && valueFilter instanceof EqualFilter) {
            return indexed.get(0);
        }
        String element = nextElementAlias();
        var relation = table.relation(attribute);
        String condition = filter.getValueFilter().visit(this, new Scope(attribute, element, relation.orElse(null)));
        if (!indexed.isEmpty()) {
            return String.join(" AND ", indexed) + " AND EXISTS (SELECT 1 FROM " + elements(attribute, element)
                    + " WHERE " + condition + ")";
        }
        if (relation.isPresent()) {
            return relation.get().exists(element, condition);
        }
        return "EXISTS (SELECT 1 FROM " + elements(attribute, element) + " WHERE " + condition + ")";
    }

    @Override
    public String visit(PresentFilter filter, Scope scope) throws ScimException {
        return compare(filter.getAttributePath(), Operator.PR, null, scope);
    }

    @Override
    public String visit(EqualFilter filter, Scope scope) throws ScimException {
        return comparison(filter, Operator.EQ, scope);
    }

    @Override
    public String visit(NotEqualFilter filter, Scope scope) throws ScimException {
        return comparison(filter, Operator.NE, scope);
    }

    @Override
    public String visit(ContainsFilter filter, Scope scope) throws ScimException {
        return comparison(filter, Operator.CO, scope);
    }

    @Override
    public String visit(StartsWithFilter filter, Scope scope) throws ScimException {
        return comparison(filter, Operator.SW, scope);
    }

    @Override
    public String visit(EndsWithFilter filter, Scope scope) throws ScimException {
        return comparison(filter, Operator.EW, scope);
    }

    @Override
    public String visit(GreaterThanFilter filter, Scope scope) throws ScimException {
        return comparison(filter, Operator.GT, scope);
    }

    @Override
    public String visit(GreaterThanOrEqualFilter filter, Scope scope) throws ScimException {
        return comparison(filter, Operator.GE, scope);
    }

    @Override
    public String visit(LessThanFilter filter, Scope scope) throws ScimException {
        return comparison(filter, Operator.LT, scope);
    }

    @Override
    public String visit(LessThanOrEqualFilter filter, Scope scope) throws ScimException {
        return comparison(filter, Operator.LE, scope);
    }

    private String combine(List<Filter> filters, String operator, Scope scope) throws ScimException {
        List<String> parts = new ArrayList<>();
        for (Filter filter : filters) {
            parts.add("(" + filter.visit(this, scope) + ")");
        }
        return String.join(operator, parts);
    }

    private String comparison(ComparisonFilter filter, Operator operator, Scope scope) throws ScimException {
        ValueNode value = filter.getComparisonValue();
        if (value == null || value.isNull()) {
            // "attr eq null" asks for absence, "attr ne null" for presence (RFC 7644 §3.4.2.2 treats null as unassigned).
            if (operator == Operator.EQ) {
                return "NOT (" + compare(filter.getAttributePath(), Operator.PR, null, scope) + ")";
            }
            if (operator == Operator.NE) {
                return compare(filter.getAttributePath(), Operator.PR, null, scope);
            }
            throw BadRequestException.invalidFilter("'" + operator.name().toLowerCase() + "' needs a value, not null");
        }
        return compare(filter.getAttributePath(), operator, value, scope);
    }

    private String compare(Path path, Operator operator, ValueNode value, Scope scope) throws ScimException {
        ResolvedAttribute attribute = scope.inElement() ? resolveInElement(path, scope) : resolve(path);
        if (attribute == null) {
            return operator == Operator.NE ? "true" : "false";
        }
        Optional<String> unqueryable = table.unqueryable(attribute);
        if (unqueryable.isPresent()) {
            throw BadRequestException.invalidFilter("Filtering on '" + attribute.display() + "' is not supported: "
                    + unqueryable.get());
        }
        AttributeDefinition target = attribute.target();
        if (target.getType() == AttributeDefinition.Type.COMPLEX && !target.isMultiValued()
                && attribute.subAttribute() == null) {
            throw BadRequestException.invalidFilter("'" + attribute.display() + "' is complex; filter on one of its "
                    + "sub-attributes, e.g. " + attribute.display() + "." + firstSubAttribute(target));
        }
        if (operator == Operator.NE) {
            // ne matches resources where no value equals: also those without the attribute (RFC 7644 §3.4.2.2).
            return "NOT COALESCE(" + compare(path, Operator.EQ, value, scope) + ", false)";
        }
        if (!scope.inElement() && attribute.attribute().isMultiValued()) {
            return multiValued(attribute, operator, value);
        }
        if (scope.inElement()) {
            if (scope.relation() != null) {
                return relationCondition(scope.relation(), scope.element(), attribute, operator, value);
            }
            return condition(json(scope.element(), attribute.target()), attribute, operator, value);
        }
        return table.column(attribute)
                .map(column -> column.uuid() ? uuidCondition(column, attribute, operator, value)
                        : condition(new Operand(column.sql(), true), attribute, operator, value))
                .orElseGet(() -> condition(json(documentBase(attribute), attribute), attribute, operator, value));
    }

    private java.util.Optional<String> indexedEquality(ResolvedAttribute multiValued, Filter filter) {
        if (!(filter instanceof EqualFilter equal) || equal.getAttributePath().size() != 1
                || equal.getAttributePath().getSchemaUrn() != null || equal.getComparisonValue() == null
                || !equal.getComparisonValue().isTextual()) {
            return java.util.Optional.empty();
        }
        return resolver.subAttribute(multiValued.attribute(), equal.getAttributePath().getElement(0).getAttribute())
                .filter(sub -> !sub.isCaseExact() && sub.getType() == AttributeDefinition.Type.STRING)
                .flatMap(sub -> table.multiValuedIndex(new ResolvedAttribute(multiValued.extensionUrn(),
                        multiValued.attribute(), sub)))
                .map(index -> index + " @> ARRAY[lower(" + bind(equal.getComparisonValue().textValue()) + ")]");
    }

    /** Any element of a multi-valued attribute satisfies the comparison. */
    private String multiValued(ResolvedAttribute attribute, Operator operator, ValueNode value) throws ScimException {
        AttributeDefinition complex = attribute.attribute();
        var relation = table.relation(attribute);
        if (relation.isPresent()) {
            String element = nextElementAlias();
            if (operator == Operator.PR && attribute.subAttribute() == null) {
                return relation.get().exists(element, null);
            }
            AttributeDefinition sub = attribute.subAttribute() != null ? attribute.subAttribute() : valueSubAttribute(complex);
            ResolvedAttribute target = new ResolvedAttribute(attribute.extensionUrn(), complex, sub);
            return relation.get().exists(element, relationCondition(relation.get(), element, target, operator, value));
        }
        AttributeDefinition compared = attribute.subAttribute() != null ? attribute.subAttribute()
                : complex.getType() == AttributeDefinition.Type.COMPLEX ? valueSubAttribute(complex) : complex;
        if (operator == Operator.EQ && compared != null && !compared.isCaseExact()
                && compared.getType() == AttributeDefinition.Type.STRING && value.isTextual()) {
            var indexed = table.multiValuedIndex(new ResolvedAttribute(attribute.extensionUrn(), complex,
                    complex.getType() == AttributeDefinition.Type.COMPLEX ? compared : null));
            if (indexed.isPresent()) {
                return indexed.get() + " @> ARRAY[lower(" + bind(value.textValue()) + ")]";
            }
        }
        String element = nextElementAlias();
        ResolvedAttribute elementAttribute;
        Operand operand;
        if (complex.getType() == AttributeDefinition.Type.COMPLEX) {
            AttributeDefinition sub = attribute.subAttribute() != null ? attribute.subAttribute() : valueSubAttribute(complex);
            if (sub == null) {
                throw BadRequestException.invalidFilter("'" + attribute.display() + "' has no 'value'; filter on one of "
                        + "its sub-attributes");
            }
            elementAttribute = new ResolvedAttribute(attribute.extensionUrn(), complex, sub);
            operand = json(element, sub);
        } else {
            elementAttribute = attribute;
            operand = new Operand(element + " #>> '{}'", false);
        }
        return "EXISTS (SELECT 1 FROM " + elements(attribute, element) + " WHERE "
                + condition(operand, elementAttribute, operator, value) + ")";
    }

    /** A SQL expression yielding an attribute's value as text, and whether it comes from a typed column. */
    private record Operand(String text, boolean column) {
    }

    private String condition(Operand operand, ResolvedAttribute attribute, Operator operator, ValueNode value) {
        AttributeDefinition target = attribute.target();
        String name = attribute.display();
        if (operator == Operator.PR) {
            return operand.column() ? "(" + operand.text() + " IS NOT NULL)"
                    : "(NULLIF(" + operand.text() + ", '') IS NOT NULL)";
        }
        switch (target.getType()) {
            case BOOLEAN -> {
                if (operator != Operator.EQ || !value.isBoolean()) {
                    throw unchecked(BadRequestException.invalidFilter("'" + name + "' is a boolean: compare it with "
                            + "eq true or eq false"));
                }
                return typed(operand, "boolean") + " = " + bind(value.booleanValue());
            }
            case INTEGER, DECIMAL -> {
                // a number too large for a double (1e999) is parsed as Infinity, which no column holds
                if (operator.substring() || !value.isNumber() || !Double.isFinite(value.doubleValue())) {
                    throw unchecked(BadRequestException.invalidFilter("'" + name + "' is a number: compare it with "
                            + "eq, ne, gt, ge, lt or le and a finite number"));
                }
                return typed(operand, "numeric") + " " + operator.sql + " " + bind(value.decimalValue());
            }
            case DATETIME -> {
                if (operator.substring() || !value.isTextual()) {
                    throw unchecked(BadRequestException.invalidFilter("'" + name + "' is a dateTime: compare it with "
                            + "eq, ne, gt, ge, lt or le and an xsd:dateTime string such as \"2026-01-31T12:00:00Z\""));
                }
                return typed(operand, "timestamptz") + " " + operator.sql + " " + bind(dateTime(name, value.textValue()));
            }
            case COMPLEX -> throw unchecked(BadRequestException.invalidFilter("'" + name + "' is complex; filter on "
                    + "one of its sub-attributes"));
            default -> {
                return text(operand, target, operator, value, name);
            }
        }
    }

    private String relationCondition(ResourceTable.Relation relation, String element, ResolvedAttribute attribute,
            Operator operator, ValueNode value) {
        ResourceTable.Column column = relation.subAttribute(attribute.target().getName(), element)
                .orElseThrow(() -> unchecked(BadRequestException.invalidFilter("Filtering on '" + attribute.display()
                        + "' is not supported; filter on " + filterable(relation, attribute.attribute()))));
        return column.uuid() ? uuidCondition(column, attribute, operator, value)
                : condition(new Operand(column.sql(), true), attribute, operator, value);
    }

    /** The sub-attributes of a relation's attribute that filters can name, as {@code a.value, a.type or a.source}. */
    private static String filterable(ResourceTable.Relation relation, AttributeDefinition multiValued) {
        List<String> names = multiValued.getSubAttributes() == null ? List.of() : multiValued.getSubAttributes().stream()
                .filter(sub -> relation.subAttributes().containsKey(sub.getName().toLowerCase(java.util.Locale.ROOT)))
                .map(sub -> multiValued.getName() + "." + sub.getName())
                .toList();
        if (names.size() <= 1) {
            return names.isEmpty() ? multiValued.getName() + ".value" : names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    /**
     * Ids: {@code eq} on the uuid itself (primary key); a value that is not exactly an id the server issued (RFC 7643
     * §3.1: caseExact, so not upper case nor a shorter spelling) matches nothing.
     */
    private String uuidCondition(ResourceTable.Column column, ResolvedAttribute attribute, Operator operator,
            ValueNode value) {
        if (operator == Operator.EQ && value != null && value.isTextual()) {
            return io.rollcall.resource.Ids.parse(value.textValue()).map(id -> {
                String bound = bind(id);
                return column.equals() != null ? column.equals().replace("{v}", bound) : column.sql() + " = " + bound;
            }).orElse("false");
        }
        return condition(new Operand(column.sql() + "::text", true), attribute, operator, value);
    }

    private String text(Operand operand, AttributeDefinition target, Operator operator, ValueNode value, String name) {
        if (!value.isTextual()) {
            throw unchecked(BadRequestException.invalidFilter("'" + name + "' is a string: compare it with a quoted "
                    + "string value"));
        }
        boolean caseExact = target.isCaseExact();
        String left = caseExact ? operand.text() : "lower(" + operand.text() + ")";
        String literal = value.textValue();
        if (operator.substring()) {
            String pattern = (operator == Operator.SW ? "" : "%") + escapeLike(literal) + (operator == Operator.EW ? "" : "%");
            String right = caseExact ? bind(pattern) : "lower(" + bind(pattern) + ")";
            return left + " LIKE " + right + " ESCAPE '\\'";
        }
        String right = caseExact ? bind(literal) : "lower(" + bind(literal) + ")";
        String collate = operator.ordering() ? " COLLATE \"C\"" : "";
        return left + collate + " " + operator.sql + " " + right + collate;
    }

    private static String typed(Operand operand, String type) {
        return operand.column() ? operand.text() : "(" + operand.text() + ")::" + type;
    }

    private static OffsetDateTime dateTime(String name, String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            throw unchecked(BadRequestException.invalidFilter("'" + text + "' is not an xsd:dateTime for '" + name
                    + "'; write it like \"2026-01-31T12:00:00Z\""));
        }
    }

    private Operand json(String base, AttributeDefinition attribute) {
        return new Operand(base + " ->> '" + attribute.getName() + "'", false);
    }

    private Operand json(String documentBase, ResolvedAttribute attribute) {
        if (attribute.subAttribute() == null) {
            return json(documentBase, attribute.attribute());
        }
        return new Operand(documentBase + " -> '" + attribute.attribute().getName() + "' ->> '"
                + attribute.subAttribute().getName() + "'", false);
    }

    /** The JSON object an attribute lives in: the document, or the extension's object inside it. */
    private String documentBase(ResolvedAttribute attribute) {
        return attribute.extensionUrn() == null ? table.json()
                : table.json() + " -> '" + attribute.extensionUrn() + "'";
    }

    private String elements(ResolvedAttribute multiValued, String alias) {
        String array = documentBase(multiValued) + " -> '" + multiValued.attribute().getName() + "'";
        return "jsonb_array_elements(CASE WHEN jsonb_typeof(" + array + ") = 'array' THEN " + array
                + " ELSE '[]'::jsonb END) AS " + alias;
    }

    /** The attribute, or null when only another searched resource type has it (it has no value here). */
    private ResolvedAttribute resolve(Path path) throws ScimException {
        var attribute = resolver.resolve(path);
        if (attribute.isPresent()) {
            return attribute.get();
        }
        if (searched != null && searched.stream().anyMatch(type -> type.resolve(path).isPresent())) {
            return null;
        }
        throw BadRequestException.invalidFilter("Unknown attribute '" + path
                + "' in the filter; GET /scim/v2/Schemas lists the attributes of each resource type");
    }

    private ResolvedAttribute resolveInElement(Path path, Scope scope) throws ScimException {
        AttributeDefinition complex = scope.multiValued().attribute();
        String name = path.size() == 1 && path.getSchemaUrn() == null ? path.getElement(0).getAttribute() : null;
        AttributeDefinition sub = name == null ? null : resolver.subAttribute(complex, name).orElse(null);
        if (sub == null) {
            throw BadRequestException.invalidFilter("'" + path + "' is not a sub-attribute of '"
                    + scope.multiValued().display() + "'; inside [...] name its sub-attributes ("
                    + complex.getSubAttributes().stream().map(AttributeDefinition::getName)
                            .collect(Collectors.joining(", ")) + ")");
        }
        return new ResolvedAttribute(scope.multiValued().extensionUrn(), complex, sub);
    }

    private AttributeDefinition valueSubAttribute(AttributeDefinition complex) {
        return resolver.subAttribute(complex, "value").orElse(null);
    }

    private static String firstSubAttribute(AttributeDefinition complex) {
        return complex.getSubAttributes() == null || complex.getSubAttributes().isEmpty() ? "value"
                : complex.getSubAttributes().iterator().next().getName();
    }

    private String bind(Object value) {
        parameters.add(value);
        return "$" + (firstParameter + parameters.size() - 1);
    }

    private String nextElementAlias() {
        return "e" + (++elementAliases);
    }

    /** A literal as it must appear in a LIKE pattern (PostgreSQL's default escape character, backslash). */
    public static String escapeLike(String literal) {
        return literal.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Lets the lambdas above throw the SDK's checked exceptions; {@link #translate} is declared to throw them. */
    private static RuntimeException unchecked(ScimException e) {
        return new InvalidFilter(e);
    }

    /** Carries a checked {@link ScimException} out of a switch arm; {@link #translate} rethrows it. */
    private static final class InvalidFilter extends RuntimeException {
        InvalidFilter(ScimException cause) {
            super(cause.getMessage(), cause, false, false);
        }

        ScimException scimException() {
            return (ScimException) getCause();
        }
    }
}
