package io.rollcall.http;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

/**
 * The methods each endpoint path serves, read once from the JAX-RS annotations of the application's endpoints, for the
 * {@code Allow} header of a 405 (RFC 9110 §15.5.6), which Quarkus REST leaves empty. Catch-all templates are skipped.
 */
@ApplicationScoped
public class AllowedMethods {

    private record Route(Pattern path, String method) {
    }

    private static final Pattern TEMPLATE_VARIABLE = Pattern.compile("\\{\\s*\\w[\\w.-]*\\s*(?::\\s*((?:[^{}]|\\{[^{}]*\\})*))?}");

    private final BeanManager beans;
    private final List<Route> routes = new ArrayList<>();

    public AllowedMethods(BeanManager beans) {
        this.beans = beans;
    }

    @PostConstruct
    void index() {
        for (Bean<?> bean : beans.getBeans(Object.class)) {
            Class<?> type = bean.getBeanClass();
            Path classPath = type.getAnnotation(Path.class);
            if (classPath == null) {
                continue;
            }
            for (Method method : type.getMethods()) {
                String httpMethod = httpMethod(method);
                if (httpMethod == null) {
                    continue;
                }
                Path methodPath = method.getAnnotation(Path.class);
                String template = join(classPath.value(), methodPath == null ? "" : methodPath.value());
                if (!template.contains(".*")) {
                    routes.add(new Route(Pattern.compile(regex(template)), httpMethod));
                }
            }
        }
    }

    /** The methods served at the path, with HEAD wherever GET is; empty if no endpoint template matches. */
    public Set<String> at(String path) {
        String normalised = "/" + path.replaceFirst("^/+", "").replaceFirst("/+$", "");
        Set<String> methods = new TreeSet<>();
        for (Route route : routes) {
            if (route.path().matcher(normalised).matches()) {
                methods.add(route.method());
                if (route.method().equals(HttpMethod.GET)) {
                    methods.add(HttpMethod.HEAD);
                }
            }
        }
        return methods;
    }

    private static String httpMethod(Method method) {
        for (var annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static String join(String classPath, String methodPath) {
        String joined = "/" + classPath.replaceFirst("^/+", "").replaceFirst("/+$", "");
        String tail = methodPath.replaceFirst("^/+", "").replaceFirst("/+$", "");
        return tail.isEmpty() ? joined : joined + "/" + tail;
    }

    private static String regex(String template) {
        StringBuilder out = new StringBuilder();
        Matcher variables = TEMPLATE_VARIABLE.matcher(template);
        int last = 0;
        while (variables.find()) {
            out.append(Pattern.quote(template.substring(last, variables.start())));
            out.append(variables.group(1) != null ? "(?:" + variables.group(1).trim() + ")" : "[^/]+");
            last = variables.end();
        }
        return out.append(Pattern.quote(template.substring(last))).toString();
    }
}
