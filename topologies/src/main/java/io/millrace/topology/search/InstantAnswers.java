package io.millrace.topology.search;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Answers a query can have without any page: arithmetic ("12*7", "(3+4)^2") and unit conversions ("10 km in miles"). */
public final class InstantAnswers {

    /** What a query answers on its own: the kind (arithmetic, conversion), the answer as a number and as text. */
    public record InstantAnswer(String kind, String query, double value, String text) {
    }

    private static final Pattern ARITHMETIC = Pattern.compile("[0-9.\\s+\\-*/×÷^%()]+");
    private static final Pattern OPERATOR = Pattern.compile("[0-9)]\\s*[+\\-*/×÷^%]\\s*[0-9(.\\-]");
    private static final Pattern CONVERSION = Pattern.compile(
            "\\s*(-?[0-9]+(?:\\.[0-9]+)?)\\s*([a-z°]+)\\s+(?:in|to|as)\\s+([a-z°]+)\\s*", Pattern.CASE_INSENSITIVE);
    private static final int MAX_LENGTH = 100;

    private record Unit(String dimension, String name, double factor, double offset) {
    }

    private static final Map<String, Unit> UNITS = new HashMap<>();

    static {
        unit("length", "m", 1, "m", "meter", "meters", "metre", "metres");
        unit("length", "km", 1000, "km", "kilometer", "kilometers", "kilometre", "kilometres");
        unit("length", "cm", 0.01, "cm", "centimeter", "centimeters", "centimetre", "centimetres");
        unit("length", "mm", 0.001, "mm", "millimeter", "millimeters", "millimetre", "millimetres");
        unit("length", "miles", 1609.344, "mi", "mile", "miles");
        unit("length", "yards", 0.9144, "yd", "yard", "yards");
        unit("length", "feet", 0.3048, "ft", "foot", "feet");
        unit("length", "inches", 0.0254, "inch", "inches");
        unit("mass", "kg", 1, "kg", "kilogram", "kilograms", "kilo", "kilos");
        unit("mass", "g", 0.001, "g", "gram", "grams");
        unit("mass", "lb", 0.45359237, "lb", "lbs", "pound", "pounds");
        unit("mass", "oz", 0.028349523125, "oz", "ounce", "ounces");
        unit("volume", "l", 1, "l", "liter", "liters", "litre", "litres");
        unit("volume", "ml", 0.001, "ml", "milliliter", "milliliters", "millilitre", "millilitres");
        unit("volume", "gallons", 3.785411784, "gal", "gallon", "gallons");
        unit("time", "seconds", 1, "s", "sec", "second", "seconds");
        unit("time", "minutes", 60, "min", "minute", "minutes");
        unit("time", "hours", 3600, "h", "hr", "hour", "hours");
        unit("time", "days", 86400, "d", "day", "days");
        temperature("°C", 1, 273.15, "c", "°c", "celsius");
        temperature("°F", 5.0 / 9, 273.15 - 32 * 5.0 / 9, "f", "°f", "fahrenheit");
        temperature("K", 1, 0, "k", "kelvin");
    }

    private InstantAnswers() {
    }

    public static Optional<InstantAnswer> answer(String query) {
        if (query == null || query.isBlank() || query.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        return arithmetic(query).or(() -> conversion(query));
    }

    static Optional<InstantAnswer> arithmetic(String query) {
        if (!ARITHMETIC.matcher(query).matches() || !OPERATOR.matcher(query).find()) {
            return Optional.empty();
        }
        try {
            Parser parser = new Parser(query.replace('×', '*').replace('÷', '/').replaceAll("\\s+", ""));
            double value = parser.expression();
            if (parser.position != parser.text.length() || Double.isNaN(value) || Double.isInfinite(value)) {
                return Optional.empty();
            }
            return Optional.of(new InstantAnswer("arithmetic", query.trim(), value, query.trim() + " = " + format(value)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Optional<InstantAnswer> conversion(String query) {
        Matcher matcher = CONVERSION.matcher(query);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Unit from = UNITS.get(matcher.group(2).toLowerCase(Locale.ROOT));
        Unit to = UNITS.get(matcher.group(3).toLowerCase(Locale.ROOT));
        if (from == null || to == null || !from.dimension().equals(to.dimension())) {
            return Optional.empty();
        }
        double amount = Double.parseDouble(matcher.group(1));
        double base = amount * from.factor() + from.offset();
        double value = (base - to.offset()) / to.factor();
        return Optional.of(new InstantAnswer("conversion", query.trim(), value,
                format(amount) + " " + from.name() + " = " + format(value) + " " + to.name()));
    }

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.valueOf((long) value);
        }
        return new BigDecimal(value).round(new MathContext(10)).stripTrailingZeros().toPlainString();
    }

    private static void unit(String dimension, String name, double factor, String... spellings) {
        for (String spelling : spellings) {
            UNITS.put(spelling, new Unit(dimension, name, factor, 0));
        }
    }

    private static void temperature(String name, double factor, double offset, String... spellings) {
        for (String spelling : spellings) {
            UNITS.put(spelling, new Unit("temperature", name, factor, offset));
        }
    }

    /** expression := term (('+'|'-') term)*; term := power (('*'|'/'|'%') power)*; power := unary ('^' power)?. */
    private static final class Parser {
        private final String text;
        private int position;
        private int depth;

        Parser(String text) {
            this.text = text;
        }

        double expression() {
            double value = term();
            while (position < text.length() && (peek() == '+' || peek() == '-')) {
                value = text.charAt(position++) == '+' ? value + term() : value - term();
            }
            return value;
        }

        private double term() {
            double value = power();
            while (position < text.length() && (peek() == '*' || peek() == '/' || peek() == '%')) {
                char operator = text.charAt(position++);
                double right = power();
                value = operator == '*' ? value * right : operator == '/' ? value / right : value % right;
            }
            return value;
        }

        private double power() {
            double base = unary();
            if (position < text.length() && peek() == '^') {
                position++;
                return Math.pow(base, power());
            }
            return base;
        }

        private double unary() {
            if (position < text.length() && peek() == '-') {
                position++;
                return -unary();
            }
            if (position < text.length() && peek() == '(') {
                if (++depth > 20) {
                    throw new IllegalArgumentException("too deep");
                }
                position++;
                double value = expression();
                if (position >= text.length() || text.charAt(position++) != ')') {
                    throw new IllegalArgumentException("unbalanced");
                }
                depth--;
                return value;
            }
            int start = position;
            while (position < text.length() && (Character.isDigit(peek()) || peek() == '.')) {
                position++;
            }
            if (start == position) {
                throw new IllegalArgumentException("a number expected");
            }
            return Double.parseDouble(text.substring(start, position));
        }

        private char peek() {
            return text.charAt(position);
        }
    }
}
