package dev.hotfix.sandbox.api.admission;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.Map;

/**
 * One compiled CEL expression of an {@code x-kubernetes-validations} entry (a {@code rule} or a
 * {@code messageExpression}), in the environment the API server gives it: {@code self} and
 * {@code oldSelf}, the standard macros and functions (including {@code matches()}) and the strings
 * and sets extensions. A compile error is kept, not thrown: the API server reports it as a field error.
 */
final class CelExpression {
  static final String SELF = "self";
  static final String OLD_SELF = "oldSelf";

  private static final CelOptions OPTIONS = CelOptions.current()
      .enableHeterogeneousNumericComparisons(true)
      .build();
  private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .setOptions(OPTIONS)
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar(SELF, SimpleType.DYN)
      .addVar(OLD_SELF, SimpleType.DYN)
      .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS))
      .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
      .setOptions(OPTIONS)
      .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS))
      .build();

  private final CelRuntime.Program program;
  private final boolean usesOldSelf;
  private final String compileError;

  private CelExpression(CelRuntime.Program program, boolean usesOldSelf, String compileError) {
    this.program = program;
    this.usesOldSelf = usesOldSelf;
    this.compileError = compileError;
  }

  /** Compiles {@code source}, which must produce {@code resultType} (or dyn). */
  static CelExpression compile(String source, CelType resultType) {
    try {
      CelValidationResult result = COMPILER.compile(source);
      if (result.hasError()) {
        return failed(result.getErrorString());
      }
      CelAbstractSyntaxTree ast = result.getAst();
      if (!ast.getResultType().equals(resultType) && !ast.getResultType().equals(SimpleType.DYN)) {
        return failed("cel expression must evaluate to a " + resultType.name() + ", not " + ast.getResultType().name());
      }
      boolean usesOldSelf = ast.getReferenceMap().values().stream().anyMatch(ref -> OLD_SELF.equals(ref.name()));
      return new CelExpression(RUNTIME.createProgram(ast), usesOldSelf, null);
    } catch (CelValidationException | CelEvaluationException e) {
      return failed(e.getMessage());
    }
  }

  private static CelExpression failed(String error) {
    return new CelExpression(null, false, error);
  }

  /** Null when the expression compiled. */
  String compileError() {
    return compileError;
  }

  /** A transition rule: it runs only on update, where an old value exists. */
  boolean usesOldSelf() {
    return usesOldSelf;
  }

  /** Evaluates with the given variables ({@code self}, and {@code oldSelf} for transition rules). */
  Object evaluate(Map<String, Object> variables) throws CelEvaluationException {
    return program.eval(variables);
  }
}
