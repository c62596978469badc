/**
 * jobengine's public API: what applications compile against. The implementation (the embedded
 * master, or a daemon client) is found at run time through {@link dev.jobengine.spi.EngineProvider}.
 */
module dev.jobengine {
  exports dev.jobengine;
  exports dev.jobengine.spi;

  uses dev.jobengine.spi.EngineProvider;
}
