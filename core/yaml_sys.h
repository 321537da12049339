/* yaml_sys.h — libyaml's own <yaml.h>, which core/yaml.h hides on our include
 * path. Include this as <yaml_sys.h> (angle brackets: it must be found through
 * the include path for #include_next to go on to the system directories). */
#ifndef CAPSTAN_YAML_SYS_H
#define CAPSTAN_YAML_SYS_H
#include_next <yaml.h>
#endif
