// berth_translations holds no code: its .qm files are compiled into an object library by
// qt_add_resources (see CMakeLists.txt). A static library needs one source of its own.
