// A shared library that is not a fascia plugin: it exports a function, but
// not fascia_plugin_entry.
extern "C" __attribute__((visibility("default"))) int fascia_plugin_entry_point_typo(void) {
  return 42;
}
