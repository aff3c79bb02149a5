#!/bin/sh
# Regenerates the talk-off test clips: ordinary speech from espeak-ng, converted with sox to
# 8 kHz 16-bit mono WAV (the format the DTMF detector sees on a G.711 call), normalized to -3 dBFS
# peak so the detector sees speech at a loud but realistic level. Needs espeak-ng and sox.
set -eu
cd "$(dirname "$0")"

EN="Thank you for calling. Please listen carefully, because our menu options have changed. \
Hello Mom, it's me. I'm doing fine, the food is okay and I have been reading a lot. \
Tell grandma I said happy birthday, and ask Uncle Robert if he can put some money on my account. \
The lawyer said the hearing is on the fourteenth of March at nine thirty in the morning. \
I love you all, and I'll call again next Sunday evening if the phones are working."

ES="Hola mamá, soy yo. Estoy bien, no te preocupes por mí. La comida está regular y trabajo en la cocina. \
Dile a mi hermano que me llame el domingo por la tarde, y que traiga los papeles del abogado. \
La audiencia es el catorce de marzo a las nueve y media de la mañana. \
Saluda a todos de mi parte, a la abuela, a los niños y a la tía Carmen. Los quiero mucho."

make() { # name voice speed pitch text
    espeak-ng -v "$2" -s "$3" -p "$4" -w "/tmp/$1.raw.wav" "$5"
    sox "/tmp/$1.raw.wav" -r 8000 -b 16 -c 1 -e signed-integer "$1.wav" norm -3 trim 0 18
    rm -f "/tmp/$1.raw.wav"
}

make en-us-male    en-us     160 45 "$EN"
make en-us-female  en-us+f3  170 70 "$EN"
make es-male       es        160 40 "$ES"
make es-female     es-419+f2 165 75 "$ES"
