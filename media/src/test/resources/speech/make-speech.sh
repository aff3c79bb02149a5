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

# Adversarial: very high-pitched synthetic voices holding vowels ("Mmmm", "Eeee", "Aaaah") have
# perfectly steady harmonics; with a looser tone-share limit (0.7) the detector found digits in these
# stretches, so they stay as regression clips (10 s each, cut around the sustained vowels).
HELD="It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness, \
it was the epoch of belief, it was the epoch of incredulity, it was the season of Light, it was the season of Darkness, \
it was the spring of hope, it was the winter of despair, we had everything before us, we had nothing before us, \
we were all going direct to Heaven, we were all going direct the other way. \
Numbers: one two three four five six seven eight nine zero. Please hold while we transfer your call. \
Hello? Hello? Can you hear me? Yes, yes, I am here. Oh my goodness, ha ha ha, that is so funny. \
Mmmmm. Eeeeeee. Ooooooh. Aaaaah."

held() { # name voice pitch start
    espeak-ng -v "$2" -p "$3" -s 150 -w "/tmp/$1.raw.wav" "$HELD"
    sox -R "/tmp/$1.raw.wav" -r 8000 -b 16 -c 1 -e signed-integer "$1.wav" norm -1 trim "$4" 10
    rm -f "/tmp/$1.raw.wav"
}

make() { # name voice speed pitch text
    espeak-ng -v "$2" -s "$3" -p "$4" -w "/tmp/$1.raw.wav" "$5"
    sox -R "/tmp/$1.raw.wav" -r 8000 -b 16 -c 1 -e signed-integer "$1.wav" norm -3 trim 0 18
    rm -f "/tmp/$1.raw.wav"
}

make en-us-male    en-us     160 45 "$EN"
make en-us-female  en-us+f3  170 70 "$EN"
make es-male       es        160 40 "$ES"
make es-female     es-419+f2 165 75 "$ES"
held held-vowels-male-high   en-gb+m3 99 34
held held-vowels-female-high en-us+f4 99 34
