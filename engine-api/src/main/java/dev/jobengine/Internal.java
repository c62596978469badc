package dev.jobengine;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a package (or type) as internal to jobengine: public only so that the engine's own modules
 * can share it. It carries no compatibility promise and may change or vanish in any release; code
 * outside jobengine should not use it. Only {@code dev.jobengine} and {@code dev.jobengine.spi}
 * are the public API.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PACKAGE, ElementType.TYPE})
public @interface Internal {}
