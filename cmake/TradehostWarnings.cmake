# Warning and sanitizer flags shared by the host, in-tree plugins, tests and benchmarks.
add_compile_options(-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
                    -Wno-missing-field-initializers -Wvla -Wformat=2)
add_compile_definitions(_GNU_SOURCE)
if(TH_WERROR)
  add_compile_options(-Werror)
endif()
if(TH_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
