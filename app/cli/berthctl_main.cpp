#include "berthctl.h"

int main(int argc, char *argv[])
{
    return Berth::Cli::run(argc, argv);
}
